#!/usr/bin/env node
// Import cycles in src/, type imports included (dpdm reads every `import`/`export ... from`, `import type`
// too), at two levels:
//   - files: an edge a.ts -> b.ts is cyclic when b.ts leads back to a.ts (both in one strongly connected
//     component of the import graph);
//   - rooms (src/config, src/engine, src/analysis, ...: the first folder under src/): the same on the
//     graph of rooms, so a door that should open one way only (docs/architecture.md) shows up even when
//     no single file cycle crosses it.
// Today's cyclic edges are listed in etc/cycles-allowed.txt. The check fails only on a NEW cyclic edge;
// an allowed edge that is no longer cyclic is reported so the list can shrink (to zero, eventually).
// Edges, not cycles, are compared: the set of cyclic edges does not depend on the order files are read.
//
// Usage: node scripts/check-cycles.mjs            report, exit 1 on a new cyclic edge
//        node scripts/check-cycles.mjs --update   rewrite etc/cycles-allowed.txt with today's edges
import { parseCircular, parseDependencyTree } from 'dpdm'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const listFile = join(root, 'etc', 'cycles-allowed.txt')
const update = process.argv.includes('--update')

const tree = await parseDependencyTree(['src/**/*.ts'], { context: root, cwd: root, transform: false, skipDynamicImports: false })
/** file -> the src/ files it imports */
const graph = new Map()
for (const [file, deps] of Object.entries(tree)) {
  if (!file.startsWith('src/')) continue
  const to = new Set((deps ?? []).map((d) => d.id).filter((id) => id !== null && id.startsWith('src/')))
  graph.set(file, [...to].sort())
}

/** Tarjan's strongly connected components (iterative); returns node -> component index */
const components = (g) => {
  const index = new Map()
  const low = new Map()
  const comp = new Map()
  const stack = []
  const on = new Set()
  let next = 0
  let c = 0
  for (const start of [...g.keys()].sort()) {
    if (index.has(start)) continue
    const work = [[start, 0]]
    index.set(start, next)
    low.set(start, next++)
    stack.push(start)
    on.add(start)
    while (work.length > 0) {
      const frame = work[work.length - 1]
      const [v, i] = frame
      const out = g.get(v) ?? []
      if (i < out.length) {
        frame[1]++
        const w = out[i]
        if (!index.has(w)) {
          index.set(w, next)
          low.set(w, next++)
          stack.push(w)
          on.add(w)
          work.push([w, 0])
        } else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1][0]
        low.set(parent, Math.min(low.get(parent), low.get(v)))
      }
      if (low.get(v) === index.get(v)) {
        let w
        do {
          w = stack.pop()
          on.delete(w)
          comp.set(w, c)
        } while (w !== v)
        c++
      }
    }
  }
  return comp
}
const cyclicEdges = (g) => {
  const comp = components(g)
  const edges = []
  for (const [from, tos] of g) for (const to of tos) if (from !== to && comp.get(from) === comp.get(to)) edges.push(`${from} -> ${to}`)
  for (const [from, tos] of g) if (tos.includes(from)) edges.push(`${from} -> ${from}`)
  return edges.sort()
}

const room = (file) => {
  const parts = file.split('/')
  return parts.length > 2 ? `src/${parts[1]}/` : 'src/(root)'
}
const rooms = new Map()
for (const [from, tos] of graph) {
  const r = room(from)
  const set = new Set(rooms.get(r) ?? [])
  for (const to of tos) if (room(to) !== r) set.add(room(to))
  rooms.set(r, [...set].sort())
}

const fileEdges = cyclicEdges(graph)
const roomEdges = cyclicEdges(rooms).map((e) => `rooms: ${e}`)
const current = [...fileEdges, ...roomEdges]

// dpdm's own listing, for a reader: each cycle once, as a path
const cycles = parseCircular(tree).filter((c) => c.every((f) => f.startsWith('src/')))
console.log(`${cycles.length} import cycles through ${new Set(cycles.flat()).size} files (type imports included):`)
for (const c of cycles) console.log(`  ${[...c, c[0]].join(' -> ')}`)
console.log(`${fileEdges.length} cyclic file edges; ${roomEdges.length} cyclic edges between rooms:`)
for (const e of roomEdges) console.log(`  ${e.slice('rooms: '.length)}`)

if (update) {
  const header = [
    '# Cyclic import edges in src/ today (scripts/check-cycles.mjs; type imports included).',
    '# CI fails on an edge not listed here. Remove lines as the layout work breaks cycles;',
    '# regenerate with `npm run check:cycles -- --update` (never to add a cycle without saying why).',
  ]
  writeFileSync(listFile, `${[...header, ...current].join('\n')}\n`)
  console.log(`wrote ${listFile.replace(`${root}/`, '')} (${current.length} edges)`)
  process.exit(0)
}

const allowed = existsSync(listFile)
  ? readFileSync(listFile, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
  : []
const fresh = current.filter((e) => !allowed.includes(e))
const gone = allowed.filter((e) => !current.includes(e))
if (gone.length > 0) {
  console.log(`\n${gone.length} allowed edges are no longer cyclic: remove them from etc/cycles-allowed.txt`)
  for (const e of gone) console.log(`  ${e}`)
}
if (fresh.length > 0) {
  console.log(`\nFAILED: ${fresh.length} new cyclic edges (a new import cycle; break it, see docs/architecture.md):`)
  for (const e of fresh) console.log(`  ${e}`)
  process.exit(1)
}
console.log(`\nno new cycles (${allowed.length} allowed edges in etc/cycles-allowed.txt)`)
