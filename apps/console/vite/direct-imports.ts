import fs from 'node:fs';
import path from 'node:path';
import { parseAst, type Plugin } from 'vite';

/**
 * Rewrites `import { Button } from '@mantine/core'` to an import of the module that defines Button,
 * in the console's code and in every module it bundles (Mantine's components import
 * `@mantine/hooks` by its index, for one). Rolldown assigns modules to chunks by what each entry
 * reaches through static imports, package indexes included (rolldown/rolldown#8920): once the
 * sign-in page imports one name from an index, every module that index re-exports and any lazy page
 * uses is loaded with the sign-in page. Importing the defining modules lets each page load only what
 * it uses. Build only: `pnpm dev` and vitest use the packages' own entry points.
 */
export function directImports(packages: readonly string[]): Plugin {
  const exportsOf = exportMap();
  return {
    name: 'tessera:direct-imports',
    apply: 'build',
    async transform(code, id) {
      if (!/\.[cm]?[jt]sx?$/.test(id) || !packages.some((p) => code.includes(p))) return null;
      const edits: { start: number; end: number; text: string }[] = [];
      for (const node of parseAst(code).body) {
        if (node.type !== 'ImportDeclaration' || !packages.includes(String(node.source.value))) continue;
        const pkg = String(node.source.value);
        // Resolved from each importer: two copies of a package stay two.
        const barrel = (await this.resolve(pkg, id))?.id;
        const named = node.specifiers.every((s) => s.type === 'ImportSpecifier');
        if (!barrel || !named || node.specifiers.length === 0) continue;
        const kept: string[] = [];
        const direct: string[] = [];
        for (const s of node.specifiers) {
          if (s.type !== 'ImportSpecifier') continue;
          const imported = nameOf(s.imported);
          const origin: Origin | undefined = exportsOf(barrel).get(imported);
          // A name the index takes from another package comes from there, as the index resolves it.
          const from: string | undefined = origin && (path.isAbsolute(origin.from) ? origin.from : (await this.resolve(origin.from, origin.file))?.id);
          if (origin && from && from !== barrel) direct.push(`import { ${origin.name} as ${s.local.name} } from ${JSON.stringify(from)};`);
          else kept.push(imported === s.local.name ? imported : `${imported} as ${s.local.name}`);
        }
        if (kept.length) direct.push(`import { ${kept.join(', ')} } from ${JSON.stringify(pkg)};`);
        edits.push({ start: node.start, end: node.end, text: direct.join(' ') });
      }
      if (edits.length === 0) return null;
      let out = code;
      for (const e of edits.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
      return { code: out, map: null };
    },
  };
}

interface Origin {
  /** The module that declares the export, or the last one to re-export it... */
  file: string;
  /** ...from `from`: the same file, or another package's name. */
  from: string;
  /** Its name in `from`. */
  name: string;
}

/**
 * A module's exports, each followed through re-exports (`export { a } from`, `import { a } ...
 * export { a }`, `export * from`) to the module that declares it. Only relative specifiers are
 * followed; for a name re-exported from another package, that package.
 */
function exportMap(): (file: string) => Map<string, Origin> {
  const cache = new Map<string, Map<string, Origin>>();
  const exportsOf = (file: string): Map<string, Origin> => {
    const known = cache.get(file);
    if (known) return known;
    const map = new Map<string, Origin>();
    cache.set(file, map); // a cycle sees what is known so far
    const local = (name: string): Origin => ({ file, from: file, name });
    const follow = (source: string, name: string, exported: string): Origin => {
      if (!source.startsWith('.')) return { file, from: source, name };
      const target = relative(file, source);
      return (target ? exportsOf(target).get(name) : undefined) ?? local(exported);
    };
    const program = parseAst(fs.readFileSync(file, 'utf8'));
    const imports = new Map<string, { source: string; name: string }>();
    for (const node of program.body) {
      if (node.type !== 'ImportDeclaration') continue;
      for (const s of node.specifiers) {
        if (s.type === 'ImportSpecifier') imports.set(s.local.name, { source: String(node.source.value), name: nameOf(s.imported) });
      }
    }
    for (const node of program.body) {
      if (node.type === 'ExportNamedDeclaration') {
        for (const s of node.specifiers) {
          const [exported, inner] = [nameOf(s.exported), nameOf(s.local)];
          const imported = imports.get(inner);
          if (node.source) map.set(exported, follow(String(node.source.value), inner, exported));
          else if (imported) map.set(exported, follow(imported.source, imported.name, exported));
          else map.set(exported, local(exported));
        }
        for (const name of declaredNames(node.declaration)) map.set(name, local(name));
      } else if (node.type === 'ExportAllDeclaration') {
        const target = relative(file, String(node.source.value));
        if (node.exported) map.set(nameOf(node.exported), local(nameOf(node.exported)));
        else if (target) for (const [name, origin] of exportsOf(target)) if (name !== 'default' && !map.has(name)) map.set(name, origin);
      } else if (node.type === 'ExportDefaultDeclaration') {
        map.set('default', local('default'));
      }
    }
    return map;
  };
  return exportsOf;
}

type Program = ReturnType<typeof parseAst>;
type ExportNamed = Extract<Program['body'][number], { type: 'ExportNamedDeclaration' }>;

function nameOf(n: { type: string; name?: string; value?: unknown }): string {
  return n.type === 'Identifier' ? String(n.name) : String(n.value);
}

function declaredNames(d: ExportNamed['declaration']): string[] {
  if (!d) return [];
  if (d.type === 'VariableDeclaration') return d.declarations.flatMap((v) => (v.id.type === 'Identifier' ? [v.id.name] : []));
  return 'id' in d && d.id && d.id.type === 'Identifier' ? [d.id.name] : [];
}

/** `./x.mjs` next to `from`, as a file that exists, or null for a package name. */
function relative(from: string, source: string): string | null {
  if (!source.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), source);
  return ['', '.js', '.mjs'].map((ext) => base + ext).find((f) => fs.existsSync(f) && fs.statSync(f).isFile()) ?? null;
}
