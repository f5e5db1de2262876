"""Scheduled decay without the floor: it decays every epoch.

loses: schedule_lr_decay :: stepwise decay with floor(epoch_num / time_interval) on drawn values
message: floor(epoch_num / time_interval)
"""


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)
