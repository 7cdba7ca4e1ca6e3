/**
 * The physical limit (statistics.md section 3): Wald-Wolfowitz lower bounds on the expected sample size of
 * ANY test with error rates alpha, beta, for the two-sample problem with an equal split (given a bad event,
 * it is the canary's with probability p1 / (p0 + p1)).
 *
 * @module
 */

const kl = (a: number, b: number): number => a * Math.log(a / b) + (1 - a) * Math.log((1 - a) / (1 - b))

/**
 * The SPRT floor under H1: expected requests per arm (and bad events) needed by any test that rolls back a
 * canary with bad rate `p1` against a primary with `p0` with error rates `alpha`, `beta`, equal split.
 *
 * @example
 * ```ts
 * Math.round(sprtFloor(0.01, 0.02).requestsPerArm) // ≈ 2458 (statistics.md)
 * ```
 */
export const sprtFloor = (p0: number, p1: number, alpha = 0.01, beta = 0.05): { badEvents: number; requestsPerArm: number } => {
  const theta = p1 / (p0 + p1)
  const numerator = (1 - beta) * Math.log((1 - beta) / alpha) + beta * Math.log(beta / (1 - alpha))
  const badEvents = numerator / kl(theta, 0.5)
  // bad events accrue at (p0 + p1) per pair of requests (one per arm)
  return { badEvents, requestsPerArm: badEvents / (p0 + p1) }
}
