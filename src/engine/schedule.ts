/**
 * Learning-rate schedules: a schedule maps the number of completed steps (0 for the first update) to a rate.
 * One config object describes a schedule, so it can be saved next to a model and reproduced.
 */
export type Schedule = (step: number) => number;

export type ScheduleConfig =
  | { kind: 'constant'; lr: number }
  /**
   * Linear warmup from lr / warmupSteps to lr over the first `warmupSteps` updates (the first update is
   * not wasted at rate 0), then linear or cosine decay to `minLr` at `totalSteps`, constant after.
   */
  | { kind: 'warmup'; lr: number; warmupSteps: number; totalSteps: number; decay: 'linear' | 'cosine'; minLr?: number }
  /** lr * gamma^floor(step / stepSize). */
  | { kind: 'step'; lr: number; stepSize: number; gamma: number };

export function createSchedule(config: ScheduleConfig): Schedule {
  switch (config.kind) {
    case 'constant':
      return () => config.lr;
    case 'warmup': {
      const { lr, warmupSteps, totalSteps, decay } = config;
      const minLr = config.minLr ?? 0;
      if (warmupSteps < 0 || totalSteps < warmupSteps) throw new RangeError(`warmup schedule: need 0 <= warmupSteps <= totalSteps`);
      return (step) => {
        if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
        const span = totalSteps - warmupSteps;
        const progress = span === 0 ? 1 : Math.min(1, (step - warmupSteps) / span);
        const shape = decay === 'linear' ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
        return minLr + (lr - minLr) * shape;
      };
    }
    case 'step': {
      const { lr, stepSize, gamma } = config;
      if (!(stepSize > 0)) throw new RangeError(`step schedule: stepSize must be positive`);
      return (step) => lr * Math.pow(gamma, Math.floor(step / stepSize));
    }
  }
}
