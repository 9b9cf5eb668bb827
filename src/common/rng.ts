/**
 * A small seeded pseudo-random generator (mulberry32 over a splitmix32-scrambled seed). Deterministic across
 * threads and runs, so sampling, fault injection and randomized tests replay from their seed.
 *
 * @example
 * const rng = new Rng(42);
 * rng.nextFloat(); // same sequence every run
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = splitmix32(seed >>> 0 || 0x9e3779b9);
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number {
    return Math.floor(this.nextFloat() * bound);
  }

  /** Poisson-distributed count with the given mean (Knuth's method; fine for the small means sampling uses). */
  nextPoisson(mean: number): number {
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.nextFloat();
    while (product > limit) {
      count++;
      product *= this.nextFloat();
    }
    return count;
  }
}

/** Derives an independent seed for a sub-stream (for example one per partition) from a base seed. */
export function deriveSeed(seed: number, stream: number): number {
  return splitmix32((seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0);
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Reads a seed from `SEED=` in the environment, or makes one from the clock; randomized tests print it. */
export function seedFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['SEED'];
  if (text !== undefined && text !== '') {
    const seed = Number(text);
    if (!Number.isInteger(seed)) throw new Error(`SEED must be an integer, found ${JSON.stringify(text)}`);
    return seed >>> 0;
  }
  return Date.now() >>> 0;
}
