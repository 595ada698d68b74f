# SPDX-License-Identifier: Apache-2.0
"""Framework callbacks that log GPU statistics during training (nvitop 1.7's
examples/ml-framework-callbacks, as modules of the package).

* `nvitop.callbacks.keras.GpuStatsLogger`: a Keras callback (`keras.callbacks.Callback`);
* `nvitop.callbacks.lightning.GpuStatsLogger`: a PyTorch Lightning callback
  (`lightning.pytorch.callbacks.Callback`);
* `nvitop.callbacks.tensorboard.add_scalar_dict`: logs a `ResourceMetricCollector.collect()` dict
  to a TensorBoard writer.

Each module imports its framework when it is imported, and falls back to a plain base class when
the framework is not installed, so the modules import anywhere (the callbacks then follow the
framework's documented protocol: hook names and arguments).
"""

__all__: list = []
