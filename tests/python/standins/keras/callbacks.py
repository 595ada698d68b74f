"""keras.callbacks stand-in: Callback with Keras's hook names, and the hook order of Model.fit."""


class Callback:
    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_train_batch_begin(self, batch, logs=None): pass
    def on_train_batch_end(self, batch, logs=None): pass
    def on_test_batch_begin(self, batch, logs=None): pass
    def on_test_batch_end(self, batch, logs=None): pass


class CSVLogger(Callback):
    """Records the logs of each step it sees (the place of a CSVLogger or TensorBoard callback)."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_batch_end(self, batch, logs=None):
        self.rows.append(dict(logs or {}))


def fit(step, callbacks, epochs=2, steps_per_epoch=3):
    """Model.fit's callback calls: one logs dict per hook call, shared by the callbacks in order;
    batch begin hooks get no logs, as in Keras."""
    for callback in callbacks:
        callback.set_params({'epochs': epochs, 'steps': steps_per_epoch})
        callback.on_train_begin()
    for epoch in range(epochs):
        for callback in callbacks:
            callback.on_epoch_begin(epoch)
        for batch in range(steps_per_epoch):
            for callback in callbacks:
                callback.on_train_batch_begin(batch)
            logs = {'loss': step()}
            for callback in callbacks:
                callback.on_train_batch_end(batch, logs)
        for callback in callbacks:
            callback.on_epoch_end(epoch, {})
    for callback in callbacks:
        callback.on_train_end()
