/**
 * Play/pause/speed for the simulated clock, without timers: `simulatedFor(realMs)` says how many
 * simulated ms a stretch of real time is worth. The worker's entry owns the real timer and calls
 * the simulation's `tick` with the real time that passed; tests call it with made-up times.
 *
 * Simulated time moves in whole ms (the fractions carry over), so event times stay integers.
 * A stretch of real time longer than `MAX_TICK_REAL_MS` (a throttled background tab, a paused
 * debugger) counts as that much only, so the simulation never lurches minutes ahead.
 */

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 8;
/** The most real time one tick accounts for. */
export const MAX_TICK_REAL_MS = 1000;

/** Throws a RangeError unless `speed` is a number in [MIN_SPEED, MAX_SPEED]. */
export function checkSpeed(speed: number): number {
  if (typeof speed !== 'number' || !(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
    throw new RangeError(`speed must be between ${MIN_SPEED} and ${MAX_SPEED}, got ${String(speed)}`);
  }
  return speed;
}

export class ClockDriver {
  #playing = false;
  #speed = 1;
  #carry = 0;

  get playing(): boolean {
    return this.#playing;
  }

  get speed(): number {
    return this.#speed;
  }

  /** Starts playing, at `speed` if given (else the last speed). */
  play(speed?: number): void {
    if (speed !== undefined) this.#speed = checkSpeed(speed);
    this.#playing = true;
  }

  /** Changes the speed without starting or stopping. */
  setSpeed(speed: number): void {
    this.#speed = checkSpeed(speed);
  }

  pause(): void {
    this.#playing = false;
    this.#carry = 0;
  }

  /** Whole simulated ms that `realMs` of real time is worth now (0 while paused). */
  simulatedFor(realMs: number): number {
    if (!this.#playing || !(realMs > 0)) return 0;
    this.#carry += Math.min(realMs, MAX_TICK_REAL_MS) * this.#speed;
    const whole = Math.floor(this.#carry);
    this.#carry -= whole;
    return whole;
  }
}
