import { HttpError } from '../http/http-error.ts';

/** Every slot and every place in the queue is taken: the caller should come back shortly. */
export class Busy extends HttpError {
  override name = 'Busy';

  constructor() {
    super(503, 'The server is busy: try again in a moment.', { headers: { 'Retry-After': '1' } });
  }
}

/** The most of a lane's waiting places one client may hold: a quarter, so four clients can always wait. */
const CLIENT_SHARE = 0.25;

export interface Ticket<Lane extends string> {
  readonly lane: Lane;
  /** Who asks (the client's address key); without one, only the lane's own size applies. */
  readonly client?: string | undefined;
}

export interface LaneLimits {
  /** How many may wait in the lane. */
  readonly waiting: number;
  /** How many of the lane's tasks may run at once: all the slots unless given. */
  readonly running?: number;
}

export interface ConcurrencyLimit<Lane extends string> {
  /** Runs `work` when a slot is free; rejects with Busy at once when its lane, or the client's share of it, is full. */
  run<T>(work: () => Promise<T>, ticket: Ticket<Lane>): Promise<T>;
}

interface Waiter {
  readonly client: string | undefined;
  readonly start: () => void;
}

/**
 * At most `slots` tasks at a time; the rest wait in lanes, each of a bounded size (`lanes`, in order of
 * priority: a free slot goes to the first lane with someone waiting that may run one more), and nobody
 * beyond that: a burst gets a quick 503 instead of a queue that grows until every request, the cheap
 * ones included, times out. A lane of lower priority cannot take places from one above it, a lane
 * capped below `slots` leaves the other slots to the lanes above it, and within a lane one client holds
 * at most CLIENT_SHARE of the places, so one address cannot fill a lane by itself.
 */
export function concurrencyLimit<Lane extends string>(slots: number, lanes: Readonly<Record<Lane, LaneLimits>>): ConcurrencyLimit<Lane> {
  let running = 0;
  const order = Object.keys(lanes) as Lane[];
  const waiting = new Map<Lane, Waiter[]>(order.map((lane) => [lane, []]));
  const runningIn = new Map<Lane, number>(order.map((lane) => [lane, 0]));
  const queueOf = (lane: Lane): Waiter[] => {
    const queue = waiting.get(lane);
    if (!queue) throw new Error(`unknown lane ${lane}`);
    return queue;
  };
  const canStart = (lane: Lane) => running < slots && (runningIn.get(lane) ?? 0) < (lanes[lane].running ?? slots);
  // Counted when a task is let in, before it runs: no caller arriving meanwhile can take its slot.
  const count = (lane: Lane, change: number) => {
    running += change;
    runningIn.set(lane, (runningIn.get(lane) ?? 0) + change);
  };

  const release = (finished: Lane) => {
    count(finished, -1);
    const lane = order.find((name) => queueOf(name).length > 0 && canStart(name));
    const next = lane === undefined ? undefined : queueOf(lane).shift();
    if (lane !== undefined && next) {
      count(lane, 1);
      next.start();
    }
  };

  const admit = async ({ lane, client }: Ticket<Lane>): Promise<void> => {
    if (canStart(lane)) {
      count(lane, 1);
      return;
    }
    const queue = queueOf(lane);
    const size = lanes[lane].waiting;
    const share = Math.max(1, Math.floor(size * CLIENT_SHARE));
    const held = client === undefined ? 0 : queue.filter((waiter) => waiter.client === client).length;
    if (queue.length >= size || held >= share) throw new Busy();
    await new Promise<void>((resolve) => queue.push({ client, start: resolve }));
  };

  return {
    async run(work, ticket) {
      await admit(ticket);
      try {
        return await work();
      } finally {
        release(ticket.lane);
      }
    },
  };
}
