/**
 * fast-check arbitraries for the render tests: traffic with random weights, mirroring and managed
 * routes whose matches use every StringMatch kind, with safe random names.
 */
import fc from 'fast-check'
import type { ManagedRoute, RequestMatch, StringMatch, Traffic } from '../../src/model/traffic.js'

/** Lower-case token names (headers, cookies, query parameters), never `cookie`. */
export const tokenName = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).filter((s) => s !== 'cookie')

/** Values without regex metacharacters trouble: letters, digits and a few literal punctuation marks. */
export const safeValue = fc.stringMatching(/^[A-Za-z0-9._+-]{0,12}$/)

/** A StringMatch of any kind; regexes are simple valid expressions. */
export const stringMatch: fc.Arbitrary<StringMatch> = fc.oneof(
  safeValue.map((exact) => ({ exact })),
  safeValue.map((prefix) => ({ prefix })),
  safeValue.map((suffix) => ({ suffix })),
  fc.stringMatching(/^[a-z0-9]{1,6}$/).map((r) => ({ regex: `${r}.*` })),
)

const conditions = (max: number) => fc.dictionary(tokenName, stringMatch, { minKeys: 0, maxKeys: max })

/** A request match with at least one condition and at most one cookie. */
export const requestMatch: fc.Arbitrary<RequestMatch> = fc
  .record({ headers: conditions(3), cookies: conditions(1), queryParams: conditions(2) })
  .filter((m) => Object.keys(m.headers).length + Object.keys(m.cookies).length + Object.keys(m.queryParams).length > 0)
  .map((m) => ({
    ...(Object.keys(m.headers).length > 0 ? { headers: m.headers } : {}),
    ...(Object.keys(m.cookies).length > 0 ? { cookies: m.cookies } : {}),
    ...(Object.keys(m.queryParams).length > 0 ? { queryParams: m.queryParams } : {}),
  }))

/** A percentage in 0..100, sometimes fractional. */
export const percentage = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true }))

/** A managed route; mirror routes sometimes carry a percentage. */
export const managedRoute = (name: string): fc.Arbitrary<ManagedRoute> =>
  fc.oneof(
    fc.array(requestMatch, { minLength: 1, maxLength: 3 }).map((match) => ({ name, kind: 'header' as const, match })),
    fc.record({ match: fc.array(requestMatch, { minLength: 1, maxLength: 3 }), percentage: fc.option(percentage, { nil: undefined }) }).map(
      ({ match, percentage: p }) => ({ name, kind: 'mirror' as const, match, ...(p !== undefined ? { percentage: p } : {}) }),
    ),
  )

/** Random traffic: weight 0..100, optional mirror, up to `maxRoutes` managed routes with unique names. */
export const traffic = (maxRoutes = 4): fc.Arbitrary<Traffic> =>
  fc
    .record({
      weight: fc.integer({ min: 0, max: 100 }),
      mirror: fc.option(percentage, { nil: undefined }),
      names: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { maxLength: maxRoutes }),
    })
    .chain(({ weight, mirror, names }) =>
      fc.tuple(...names.map(managedRoute)).map((routes) => ({ weight, routes, ...(mirror !== undefined ? { mirror } : {}) })),
    )

/** Traffic whose managed routes are header routes only. */
export const headerOnlyTraffic = (maxRoutes = 4): fc.Arbitrary<Traffic> =>
  traffic(maxRoutes).map((t) => ({ ...t, routes: t.routes.filter((r) => r.kind === 'header') }))
