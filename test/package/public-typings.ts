// Emits the package's declarations (tsconfig.package.json: stripInternal) into memory and
// type-checks them as a consumer would (strict, skipLibCheck: false), so tests can inspect
// exactly what `import ... from 'gdws'` exposes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface PublicTypings {
  /** Emitted declaration files by path relative to src/ ('index.d.ts', 'peer/websocket-peer.d.ts', ...). */
  files: Map<string, string>;
  /** Errors from checking all the emitted declarations alone with strict and skipLibCheck: false. */
  diagnostics: string[];
  /** For each class exported from index.d.ts: its public instance and static member names, inherited ones included. */
  classMembers: Map<string, string[]>;
}

function format(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((d) => ts.formatDiagnostic(d, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  }).trim());
}

export function emitPublicTypings(): PublicTypings {
  const configPath = path.join(root, 'tsconfig.package.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(format([d]).join('\n')); },
  });
  if (!config) throw new Error('cannot read tsconfig.package.json');
  const srcDir = path.join(root, 'src');
  const outDir = config.options.outDir!;
  const options: ts.CompilerOptions = { ...config.options, emitDeclarationOnly: true, noEmit: false };
  const program = ts.createProgram({ rootNames: config.fileNames, options });
  const files = new Map<string, string>();
  const emitted = program.emit(undefined, (fileName, text) => {
    if (fileName.endsWith('.d.ts')) files.set(path.relative(outDir, fileName).split(path.sep).join('/'), text);
  });
  const emitErrors = format(emitted.diagnostics);
  if (emitErrors.length > 0) throw new Error(emitErrors.join('\n'));

  // Second program: only the emitted .d.ts (served from memory under a virtual directory) and @types/node.
  const virtualDir = path.join(srcDir, '..', '.virtual-package');
  const inMemory = (fileName: string): string | undefined => {
    const rel = path.relative(virtualDir, fileName);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return files.get(rel.split(path.sep).join('/'));
  };
  const consumerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(consumerOptions);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => inMemory(f) !== undefined || ts.sys.fileExists(f);
  host.readFile = (f) => inMemory(f) ?? ts.sys.readFile(f);
  host.directoryExists = (d) => {
    const rel = path.relative(virtualDir, d);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return ts.sys.directoryExists(d);
    const prefix = rel === '' ? '' : `${rel.split(path.sep).join('/')}/`;
    return [...files.keys()].some((f) => f.startsWith(prefix));
  };
  host.getSourceFile = (f, languageVersion, onError, shouldCreate) => {
    const text = inMemory(f);
    return text !== undefined ? ts.createSourceFile(f, text, languageVersion, true) : baseGetSourceFile(f, languageVersion, onError, shouldCreate);
  };
  // The virtual directory sits in the repository, so node_modules/@types/node resolves as in a consumer project,
  // and its package.json ("type": "module") is the repository's, which says the same as the published one.
  // Every emitted file is a root, so internal modules that index.d.ts does not reach must compile too.
  const rootNames = ['index.d.ts', ...[...files.keys()].filter((f) => f !== 'index.d.ts')].map((f) => path.join(virtualDir, f));
  const consumer = ts.createProgram({ rootNames, options: consumerOptions, host });
  // Every diagnostic of the package's own files (as skipLibCheck: false reports them), without
  // re-checking all of @types/node, which takes seconds and is not the package's to fix.
  const ownFiles = consumer.getSourceFiles().filter((f) => inMemory(f.fileName) !== undefined);
  const diagnostics = format([
    ...consumer.getOptionsDiagnostics(),
    ...consumer.getGlobalDiagnostics(),
    ...ownFiles.flatMap((f) => [...consumer.getSyntacticDiagnostics(f), ...consumer.getSemanticDiagnostics(f)]),
  ]);

  const checker = consumer.getTypeChecker();
  const index = consumer.getSourceFile(path.join(virtualDir, 'index.d.ts'));
  const moduleSymbol = index && checker.getSymbolAtLocation(index);
  if (!moduleSymbol) throw new Error('no index.d.ts module');
  const classMembers = new Map<string, string[]>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
    const names = new Set<string>();
    const collect = (members: readonly ts.Symbol[]): void => {
      for (const member of members) {
        const decl = member.valueDeclaration ?? member.declarations?.[0];
        const flags = decl ? ts.getCombinedModifierFlags(decl) : 0;
        if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        if (member.name === 'prototype') continue;
        names.add(member.name);
      }
    };
    const decl = symbol.valueDeclaration ?? symbol.declarations![0]!;
    collect(checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)));
    collect(checker.getPropertiesOfType(checker.getTypeOfSymbolAtLocation(symbol, decl)));
    classMembers.set(exported.name, [...names].sort());
  }
  return { files, diagnostics, classMembers };
}
