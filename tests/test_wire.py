"""The sandbox wire format: plain data round-trips exactly; anything else is refused or
reduced to plain data, and nothing is unpickled."""

import io
import math
import struct

import numpy as np
import pytest

from grader.sandbox import wire


def roundtrip(value):
    frame = wire.encode(value)
    stream = io.BytesIO(frame)
    return wire.read_frame(lambda n: stream.read(n))


def test_plain_values_round_trip():
    value = {"W1": np.arange(6.0).reshape(2, 3), "b1": np.zeros((2, 1), np.float32), "t": 3,
             "lr": 0.5, "names": ["W1", "b1"], "pair": (1, 2.5), "none": None, "flag": True,
             "scalar": np.float64(2.5), "int32": np.int32(7)}
    back = roundtrip(value)
    np.testing.assert_array_equal(back["W1"], value["W1"])
    assert back["b1"].dtype == np.float32 and back["b1"].shape == (2, 1)
    assert back["pair"] == (1, 2.5) and back["names"] == ["W1", "b1"] and back["none"] is None
    assert back["flag"] is True and back["t"] == 3 and type(back["t"]) is int
    assert type(back["scalar"]) is np.float64 and back["int32"].dtype == np.int32


def test_non_finite_floats_survive():
    back = roundtrip([math.nan, math.inf, -math.inf])
    assert math.isnan(back[0]) and back[1] == math.inf and back[2] == -math.inf


def test_lying_subclasses_become_plain_values():
    class Liar(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return True

    back = roundtrip({"f": Liar(1.5), "a": np.ones(3).view(Sneaky)})
    assert type(back["f"]) is float and back["f"] == 1.5 and back["f"] != 2.0
    assert type(back["a"]) is np.ndarray


def test_unsupported_objects_are_marked_not_executed():
    back = roundtrip({"o": object(), "arr": np.array([object()]), "d": {1: 2}})
    assert isinstance(back["o"], wire.Unsupported)
    assert isinstance(back["arr"], wire.Unsupported) and "object" in back["arr"].type_name
    assert isinstance(back["d"], wire.Unsupported)


def test_oversized_arrays_are_refused_before_copying():
    huge = np.broadcast_to(np.zeros(1), (wire.MAX_BLOB_BYTES // 8 + 1,))
    with pytest.raises(wire.WireError, match="MiB"):
        wire.encode(huge)


@pytest.mark.parametrize("frame", [
    b"XXXX" + struct.pack("<QQ", 2, 0) + b"{}",
    wire.PREFIX.pack(wire.MAGIC, wire.MAX_HEADER_BYTES + 1, 0),
    wire.PREFIX.pack(wire.MAGIC, 2, 0) + b"{x",
    wire.PREFIX.pack(wire.MAGIC, 18, 4) + b'{"__nd__": [0, 4]}' + b"\x93NUM",
])
def test_malformed_frames_raise_wire_error(frame):
    stream = io.BytesIO(frame)

    def read_exact(n):
        data = stream.read(n)
        if len(data) != n:
            raise wire.WireError("truncated")
        return data

    with pytest.raises(wire.WireError):
        wire.read_frame(read_exact)


def test_pickled_object_arrays_are_never_loaded():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    blob = buffer.getvalue()
    header = ('{"__nd__": [0, %d]}' % len(blob)).encode()
    frame = wire.PREFIX.pack(wire.MAGIC, len(header), len(blob)) + header + blob
    stream = io.BytesIO(frame)
    with pytest.raises(wire.WireError):
        wire.read_frame(lambda n: stream.read(n))
