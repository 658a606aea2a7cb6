/** The simulated clock: due order, ties in scheduling order, cancellation, failing tasks. */

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/broker/clock';

describe('SimulatedClock', () => {
  it('runs tasks in due order, ties in the order scheduled, each at its own time', () => {
    const clock = new SimulatedClock();
    const ran: string[] = [];
    clock.at(30, () => ran.push(`c@${clock.now()}`));
    clock.at(10, () => ran.push(`a@${clock.now()}`));
    clock.at(10, () => ran.push(`b@${clock.now()}`));
    clock.after(5, () => clock.after(5, () => ran.push(`nested@${clock.now()}`)));
    expect(clock.nextDue()).toBe(5);
    clock.advance(20);
    expect(ran).toEqual(['a@10', 'b@10', 'nested@10']);
    expect(clock.now()).toBe(20);
    clock.advance(10);
    expect(ran.at(-1)).toBe('c@30');
    expect(clock.nextDue()).toBeUndefined();
  });

  it('skips cancelled tasks', () => {
    const clock = new SimulatedClock();
    const ran: number[] = [];
    const task = clock.at(1, () => ran.push(1));
    clock.at(2, () => ran.push(2));
    clock.cancel(task);
    expect(clock.nextDue()).toBe(2);
    clock.advance(5);
    expect(ran).toEqual([2]);
  });

  it('keeps running the other tasks when one throws, then reports it', () => {
    const clock = new SimulatedClock();
    const ran: number[] = [];
    clock.at(1, () => {
      throw new Error('boom');
    });
    clock.at(2, () => ran.push(2));
    expect(() => clock.advance(5)).toThrow('boom');
    expect(ran).toEqual([2]);
    expect(clock.now()).toBe(5);
  });

  it('refuses to go back in time', () => {
    expect(() => new SimulatedClock().advance(-1)).toThrow(RangeError);
  });
});
