"""A minimal Trainer: the attributes GpuStatsLogger reads and the hook calls of Trainer.fit
(Lightning passes the batch hooks' arguments positionally)."""

import types


class RecordingLogger:
    def __init__(self):
        self.records = []

    def log_metrics(self, metrics, step=None):
        self.records.append((step, dict(metrics)))


class Trainer:
    def __init__(self, callbacks, device_ids=(0,), device_type='cuda', logger=True):
        self.callbacks = list(callbacks)
        self.logger = RecordingLogger() if logger else None
        self.device_ids = list(device_ids)
        self.strategy = types.SimpleNamespace(root_device=types.SimpleNamespace(type=device_type))
        self.global_step = 0

    def fit(self, pl_module, batches, epochs=2):
        for callback in self.callbacks:
            callback.on_train_start(self, pl_module)
        for _ in range(epochs):
            for callback in self.callbacks:
                callback.on_train_epoch_start(self, pl_module)
            for batch_idx, batch in enumerate(batches):
                for callback in self.callbacks:
                    callback.on_train_batch_start(self, pl_module, batch, batch_idx)
                outputs = pl_module.training_step(batch, batch_idx)
                self.global_step += 1
                for callback in self.callbacks:
                    callback.on_train_batch_end(self, pl_module, outputs, batch, batch_idx)
            for callback in self.callbacks:
                callback.on_train_epoch_end(self, pl_module)
        for callback in self.callbacks:
            callback.on_train_end(self, pl_module)
