"""Exponential learning-rate decay instead of inverse-time.

loses: update_lr :: inverse-time decay lr0 / (1 + decay_rate * epoch_num) on drawn values
message: inverse-time decay
"""


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * np.exp(-decay_rate * epoch_num)
