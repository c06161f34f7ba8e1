/*
 * Handshake load generator for bench/e2e.ts (compiled on demand with cc).
 *
 *   handshake-load PORT CONCURRENCY WARMUP_MS WINDOW_MS ACCEPT
 *
 * Keeps CONCURRENCY connections to 127.0.0.1:PORT in the handshake: connect,
 * send one upgrade request, read the response head, check that it is a 101
 * carrying ACCEPT, then reset the connection (SO_LINGER 0, so no TIME_WAIT
 * exhausts the ephemeral ports) and start the next one in the same slot.
 * CONCURRENCY 1 gives handshakes one after another. Written in C so that the
 * generator costs far less than any server it measures, Node ones included.
 * Prints one JSON line: handshakes completed in the window, its length in
 * seconds, connect-to-101 latency p50/p99 in ms, failures, own CPU seconds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX 1024
#define BINS 2400

struct slot {
  int fd;
  int sent;
  int filled;
  double started;
  char head[HEAD_MAX];
};

static const char *accept_value;
static char request[512];
static int request_length;
static struct sockaddr_in address;
static int epoll_fd;
static unsigned bins[BINS];
static long completed, failures;
static int counting;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void record(double latency_ms) {
  double micros = latency_ms * 1000;
  int bin = micros <= 1 ? 0 : (int)ceil(log(micros) / log(1.01));
  if (bin >= BINS) bin = BINS - 1;
  bins[bin]++;
  completed++;
}

static double percentile(double fraction) {
  long wanted = (long)ceil(completed * fraction), seen = 0;
  if (wanted == 0) return -1;
  for (int bin = 0; bin < BINS; bin++) {
    seen += bins[bin];
    if (seen >= wanted) return exp(bin * log(1.01)) / 1000;
  }
  return -1;
}

static void open_slot(struct slot *slot) {
  slot->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (slot->fd < 0) {
    perror("socket");
    exit(1);
  }
  int one = 1;
  setsockopt(slot->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  slot->sent = 0;
  slot->filled = 0;
  slot->started = now_ms();
  if (connect(slot->fd, (struct sockaddr *)&address, sizeof address) < 0 && errno != EINPROGRESS) {
    perror("connect");
    exit(1);
  }
  struct epoll_event event = {.events = EPOLLOUT | EPOLLIN, .data.ptr = slot};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, slot->fd, &event);
}

static void reset_slot(struct slot *slot) {
  struct linger linger = {.l_onoff = 1, .l_linger = 0};
  setsockopt(slot->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  close(slot->fd);
  open_slot(slot);
}

static void fail_slot(struct slot *slot, const char *why) {
  if (failures < 5) fprintf(stderr, "handshake-load: %s\n", why);
  failures++;
  reset_slot(slot);
}

static void on_event(struct slot *slot, unsigned events) {
  if (!slot->sent) {
    if (events & (EPOLLERR | EPOLLHUP)) return fail_slot(slot, "connect failed");
    if (!(events & EPOLLOUT)) return;
    if (write(slot->fd, request, request_length) != request_length) return fail_slot(slot, "short request write");
    slot->sent = 1;
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = slot};
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, slot->fd, &event);
    return;
  }
  ssize_t got = read(slot->fd, slot->head + slot->filled, HEAD_MAX - 1 - slot->filled);
  if (got < 0 && errno == EAGAIN) return;
  if (got <= 0) return fail_slot(slot, "connection ended before the response");
  slot->filled += got;
  slot->head[slot->filled] = 0;
  if (strstr(slot->head, "\r\n\r\n") == NULL) {
    if (slot->filled >= HEAD_MAX - 1) fail_slot(slot, "response head too long");
    return;
  }
  if (strncmp(slot->head, "HTTP/1.1 101", 12) != 0 || strstr(slot->head, accept_value) == NULL) return fail_slot(slot, "not a 101 with the right accept value");
  if (counting) record(now_ms() - slot->started);
  reset_slot(slot);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s PORT CONCURRENCY WARMUP_MS WINDOW_MS ACCEPT\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]), concurrency = atoi(argv[2]);
  double warmup = atof(argv[3]), window = atof(argv[4]);
  accept_value = argv[5];
  request_length = snprintf(request, sizeof request,
                            "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: YmVuY2htYXJrLWtleS0xMg==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                            port);
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  epoll_fd = epoll_create1(0);
  struct slot *slots = calloc(concurrency, sizeof *slots);
  for (int i = 0; i < concurrency; i++) open_slot(&slots[i]);

  struct epoll_event events[256];
  double start = now_ms(), window_start = 0;
  struct rusage usage_start;
  for (;;) {
    double now = now_ms();
    if (!counting && now - start >= warmup) {
      counting = 1;
      window_start = now;
      getrusage(RUSAGE_SELF, &usage_start);
    }
    if (counting && now - window_start >= window) break;
    int ready = epoll_wait(epoll_fd, events, 256, 10);
    for (int i = 0; i < ready; i++) on_event(events[i].data.ptr, events[i].events);
  }
  double seconds = (now_ms() - window_start) / 1000;
  struct rusage usage_end;
  getrusage(RUSAGE_SELF, &usage_end);
  double cpu = (usage_end.ru_utime.tv_sec - usage_start.ru_utime.tv_sec) + (usage_end.ru_utime.tv_usec - usage_start.ru_utime.tv_usec) / 1e6 +
               (usage_end.ru_stime.tv_sec - usage_start.ru_stime.tv_sec) + (usage_end.ru_stime.tv_usec - usage_start.ru_stime.tv_usec) / 1e6;
  printf("{\"handshakes\":%ld,\"seconds\":%.4f,\"p50Ms\":%.4f,\"p99Ms\":%.4f,\"failures\":%ld,\"cpuSeconds\":%.4f}\n", completed, seconds, percentile(0.5),
         percentile(0.99), failures, cpu);
  return 0;
}
