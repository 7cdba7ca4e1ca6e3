/**
 * Records (or checks) the decisions of a fixed set of seeded random rollouts over every strategy, the
 * pin that lets the engine be restructured without changing behaviour (test/decisions/recording.ts).
 *
 *   npm run decisions:record   draw the runs again, replay them, write test/decisions/decisions.jsonl
 *   npm run decisions:check    replay the recorded runs, exit 1 with the first difference if any
 *
 * Re-record only after an intended behaviour change, and say so in the commit.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateRuns, readRuns, render } from './recording.js'

const file = fileURLToPath(new URL('./decisions.jsonl', import.meta.url))

if (process.argv.includes('--check')) {
  const recorded = readFileSync(file, 'utf8')
  const replayed = render(readRuns(recorded))
  if (replayed === recorded) {
    console.log(`decisions match the recording (${readRuns(recorded).length} runs, ${recorded.split('\n').length - 2} lines)`)
    process.exit(0)
  }
  const a = recorded.split('\n')
  const b = replayed.split('\n')
  const i = a.findIndex((line, k) => line !== b[k])
  const run = a.slice(0, i + 1).reverse().find((l) => l.startsWith('{"run":'))
  console.log(`decisions differ from the recording at line ${i + 1}${run ? ` (run ${JSON.parse(run).run})` : ''}`)
  console.log(`recorded: ${a[i]?.slice(0, 2000)}`)
  console.log(`replayed: ${b[i]?.slice(0, 2000)}`)
  process.exit(1)
}

// record: draw, then replay what a reader of the file will replay (observations as JSON keeps them)
const drawn = render(generateRuns())
const text = render(readRuns(drawn))
if (render(readRuns(text)) !== text) {
  console.error('error: the recording does not replay to itself (a nondeterministic step?)')
  process.exit(1)
}
writeFileSync(file, text)
console.log(`wrote ${file} (${readRuns(text).length} runs, ${text.split('\n').length - 2} lines, ${Math.round(text.length / 1024)} KiB)`)
