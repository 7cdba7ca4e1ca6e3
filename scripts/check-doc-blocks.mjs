#!/usr/bin/env node
// Type-checks the TypeScript code blocks of the documentation: every ```ts (or ```typescript) block of
// README.md and docs/*.md is written to .tmp/doc-blocks/ as a module of its own and checked with
// `tsc --noEmit` under the project's strict settings. Imports of 'rollout-kernel' and
// 'rollout-kernel/<entry>' resolve to the src entries through a generated tsconfig `paths`. A block whose
// info string says `ignore` (```ts ignore) is skipped. Errors are reported at their Markdown line.
//
// Usage: node scripts/check-doc-blocks.mjs [FILE.md...]   (default: README.md docs/*.md)
import ts from 'typescript'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'

const root = resolve(new URL('.', import.meta.url).pathname, '..')
const outDir = join(root, '.tmp', 'doc-blocks')

const defaultFiles = () => {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join('docs', f)) : []
  return [...(existsSync(join(root, 'README.md')) ? ['README.md'] : []), ...docs]
}
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : defaultFiles()

/** Extracts fenced blocks: { lang, info, line (1-based line of the first code line), code } */
const blocks = (text) => {
  const out = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i])
    if (!open) continue
    const [, indent, fence, lang, rest] = open
    const body = []
    let j = i + 1
    for (; j < lines.length; j++) {
      if (lines[j].trimStart().startsWith(fence) && lines[j].trim() === lines[j].trim().replace(/[^`~]/g, '')) break
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j])
    }
    out.push({ lang: lang.toLowerCase(), info: rest.trim(), line: i + 2, code: body.join('\n') })
    i = j
  }
  return out
}

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
const sources = new Map() // generated file name -> { md, line }
let skipped = 0
for (const md of files) {
  const path = resolve(root, md)
  if (!existsSync(path)) {
    console.error(`error: ${md}: no such file`)
    process.exit(2)
  }
  const slug = relative(root, path).replace(/\.md$/, '').replace(/[^\w]+/g, '_')
  for (const b of blocks(readFileSync(path, 'utf8'))) {
    if (b.lang !== 'ts' && b.lang !== 'typescript') continue
    if (/\bignore\b/.test(b.info)) {
      skipped++
      continue
    }
    const name = `${slug}_L${b.line}.ts`
    // a module of its own, so blocks never see each other's declarations
    writeFileSync(join(outDir, name), `${b.code}\nexport {}\n`)
    sources.set(name, { md: relative(root, path), line: b.line })
  }
}

// the src entry of every subpath export
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const paths = {}
for (const key of Object.keys(pkg.exports ?? { '.': {} })) {
  if (key === './package.json') continue
  const sub = key === '.' ? '' : key.slice(2)
  const src = sub === '' ? 'src/index.ts' : `src/${sub}/index.ts`
  if (existsSync(join(root, src))) paths[sub === '' ? pkg.name : `${pkg.name}/${sub}`] = [relative(outDir, join(root, src))]
}
const base = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions ?? {}
writeFileSync(
  join(outDir, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: { ...base, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, paths, types: ['node'], rootDir: relative(outDir, root) },
      include: ['*.ts'],
    },
    null,
    2,
  ),
)

if (sources.size === 0) {
  console.log(`no TypeScript blocks in ${files.join(', ')}${skipped ? ` (${skipped} marked ignore)` : ''}`)
  process.exit(0)
}
// per file: syntax first; a block with a syntax error is reported alone and never hides another's errors
const configPath = join(outDir, 'tsconfig.json')
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.log(ts.flattenDiagnosticMessageText(d.messageText, '\n')) })
if (config === undefined) process.exit(2)
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, configFileParsingDiagnostics: config.errors })
const diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]
for (const sf of program.getSourceFiles()) {
  if (!sources.has(basename(sf.fileName)) || resolve(sf.fileName).indexOf(outDir) !== 0) continue
  const syntax = program.getSyntacticDiagnostics(sf)
  diagnostics.push(...(syntax.length > 0 ? syntax : program.getSemanticDiagnostics(sf)))
}
let errors = 0
for (const d of diagnostics) {
  if (d.category === ts.DiagnosticCategory.Error) errors++
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ')
  if (d.file === undefined || d.start === undefined) {
    console.log(`TS${d.code}: ${text}`)
    continue
  }
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
  const src = sources.get(basename(d.file.fileName))
  const where = src !== undefined && resolve(d.file.fileName).indexOf(outDir) === 0 ? `${src.md}:${src.line + line}:${character + 1}` : `${relative(root, d.file.fileName)}:${line + 1}:${character + 1}`
  console.log(`${where}: TS${d.code}: ${text}`)
}
const summary = `${sources.size} TypeScript block(s) from ${files.length} file(s)${skipped ? `, ${skipped} marked ignore` : ''}`
if (errors > 0) {
  console.log(`\ndoc blocks: ${errors} error(s) in ${summary} (files in ${relative(root, outDir)}/)`)
  process.exit(1)
}
console.log(`doc blocks type-check: ${summary}`)
