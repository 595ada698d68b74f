# SPDX-License-Identifier: Apache-2.0
"""Resource metrics of every device and every GPU process into a CSV file (needs pandas)."""

import datetime
import sys
import time

import pandas as pd

from nvitop import ResourceMetricCollector


def main(samples: int = 5, interval: float = 2.0, path: str = 'results.csv') -> None:
    collector = ResourceMetricCollector(root_pids={1}, interval=interval)  # all devices, all GPU processes
    rows = []
    with collector(tag='resources'):
        for _ in range(samples):
            time.sleep(interval)  # do something
            rows.append(collector.collect())

    df = pd.DataFrame.from_records(rows)
    df.insert(0, 'time', df['resources/timestamp'].map(datetime.datetime.fromtimestamp))
    df.to_csv(path, index=False)
    print(f'{len(df)} rows of {len(df.columns)} columns written to {path}')


if __name__ == '__main__':
    main(*([int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]] if len(sys.argv) > 3 else []))
