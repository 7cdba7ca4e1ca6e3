import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { main } from '../../src/cli/main.js'
import { hasStackTrace, runCli } from './harness.js'

describe('rollout-kernel (top level)', () => {
  it('prints the command list for --help and exits 0', () => {
    const r = runCli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: rollout-kernel <command>/)
    for (const c of ['validate', 'plan', 'simulate']) expect(r.stdout).toContain(`  ${c}`)
  })

  it('prints the usage on stderr and exits 2 without a command', () => {
    const r = runCli([])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('usage: rollout-kernel')
    expect(r.stdout).toBe('')
  })

  it('rejects an unknown command with a suggestion, the usage and exit 2', () => {
    const r = runCli(['simulat', 'x.yaml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: unknown command "simulat" \(did you mean "simulate"\?\)/)
    expect(r.stderr).toContain('commands:')
  })

  it.each(['validate', 'plan', 'simulate'])('%s --help prints its usage and options and exits 0', (cmd) => {
    const r = runCli([cmd, '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^usage: rollout-kernel ${cmd} `))
    expect(r.stdout).toContain('--help')
    expect(r.stdout).toContain('exit codes:')
    expect(runCli([cmd, '-h']).stdout).toBe(r.stdout)
    expect(runCli(['help', cmd]).stdout).toBe(r.stdout)
  })

  it('rejects an unknown option with the command usage and a suggestion', () => {
    const r = runCli(['simulate', 'examples/canary.yaml', '--sede', '3'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: unknown option --sede \(did you mean --seed\?\)/)
    expect(r.stderr).toContain('usage: rollout-kernel simulate')
  })

  it('rejects a missing option value and a non-integer seed as usage errors', () => {
    expect(runCli(['simulate', 'examples/canary.yaml', '--seed']).stderr).toContain('error: option --seed needs a value')
    const r = runCli(['simulate', 'examples/canary.yaml', '--seed', 'abc'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: option --seed: expected an integer, got "abc"')
    expect(runCli(['simulate', 'examples/canary.yaml', '--rate', '-5']).code).toBe(2)
    expect(runCli(['simulate', 'examples/canary.yaml', '--json=yes']).stderr).toContain('option --json takes no value')
  })

  it('reports a missing file as a user error: exit 1, "error:" prefix, no stack trace', () => {
    for (const cmd of ['plan', 'simulate']) {
      const r = runCli([cmd, 'does/not/exist.yaml'])
      expect(r.code).toBe(1)
      expect(r.stderr).toBe('error: does/not/exist.yaml: no such file\n')
      expect(hasStackTrace(r.stderr)).toBe(false)
    }
  })

  it('reports a missing FILE argument as a usage error', () => {
    for (const cmd of ['validate', 'plan', 'simulate']) {
      const r = runCli([cmd])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^error: missing FILE/)
    }
  })

  it('turns an unexpected exception into one error line (exit 1), never a throw', () => {
    let stderr = ''
    const io = {
      stdout: () => {
        throw new TypeError('stdout is gone')
      },
      stderr: (s: string) => void (stderr += s),
      readFile: (p: string) => readFileSync(p, 'utf8'),
      writeFile: () => {},
    }
    expect(main(['validate', 'examples/canary.yaml'], io)).toBe(1)
    expect(stderr).toBe('error: internal error in validate: stdout is gone (please report it)\n')
  })
})
