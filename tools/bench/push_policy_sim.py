#!/usr/bin/env python3
"""How old is the queue number a customer is shown, when numbers may be pushed at most ~2 times a second?

A model of the frontend's QueuePositionPublisher with no delivery time at all: the queue changes at the
given moments, the publisher looks every `tick`, and pushes the latest number to a customer whose number
changed once `gap` has passed since their last push. The age printed is "now - time of the latest change"
at the push, which is what the load generator's "queue number change -> client" measures (plus delivery).
It shows the floor any push policy under the 2-a-second cap starts from; docs/benchmarks.md (P2) uses it.
Besides two made-up patterns it replays the changes of P2's two queues as one frontend saw them
(p2_queue_changes.json). "tick 5 ms, interval 500 ms" is the cap itself with nothing to spare: no tick
to wait for and no allowance for pushes that arrive closer together than they were sent.

    python3 tools/bench/push_policy_sim.py
"""
import bisect
import json
import os
import random


def poisson(rate, seconds):
    t, out = 0.0, []
    while t < seconds:
        t += random.expovariate(rate)
        out.append(t)
    return out


def clumps(period, size, spread, seconds):
    """Operators who hold every chat the same time finish together: `size` changes within `spread`."""
    t, out = 0.0, []
    while t < seconds:
        out += sorted(t + random.uniform(0, spread) for _ in range(size))
        t += period * random.uniform(0.95, 1.05)
    return out


def ages(changes, tick, gap, seconds, phase, quiet=0.0, hold=0.0):
    """`quiet`/`hold`: push only once the line has been still for `quiet`, or its oldest unshown change is
    `hold` old (a policy tried for P2's clumps and not kept)."""
    result, shown_at, shown = [], -10.0, -1
    t = phase
    while t < seconds:
        latest = bisect.bisect_right(changes, t) - 1
        settled = latest > shown and (t - changes[latest] >= quiet or t - changes[shown + 1] >= hold)
        if settled and t - shown_at >= gap:
            result.append(t - changes[latest])
            shown_at, shown = t, latest
        t += tick
    return result


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def recorded():
    with open(os.path.join(os.path.dirname(__file__), "p2_queue_changes.json")) as f:
        return [[ms / 1000 for ms in queue] for queue in json.load(f)["queues"]]


if __name__ == "__main__":
    random.seed(1)
    patterns = {
        "random, 10 changes/s": [poisson(10, 600)],
        "clumps of 12 every 1.1 s": [clumps(1.1, 12, 0.1, 600)],
        "P2's queues as recorded": recorded(),
    }
    policies = [(0.1, 0.6, 0, 0), (0.025, 0.6, 0, 0), (0.025, 0.5, 0, 0), (0.005, 0.5, 0, 0), (0.02, 0.6, 0, 0),
                (0.02, 0.6, 0.04, 0.12)]
    for name, queues in patterns.items():
        for tick, gap, quiet, hold in policies:
            shown = []
            for changes in queues:
                for _ in range(50):
                    shown += ages(changes, tick, gap, changes[-1], random.random() * tick, quiet, hold)
            settle = f", settled {quiet * 1000:.0f}/{hold * 1000:.0f} ms" if quiet else ""
            print(f"{name:26} tick {tick * 1000:3.0f} ms, interval {gap * 1000:3.0f} ms{settle}: age at push "
                  f"p50 {percentile(shown, .5) * 1000:4.0f} ms, p99 {percentile(shown, .99) * 1000:4.0f} ms")
