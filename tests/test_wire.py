"""The sandbox wire format: plain data round-trips exactly; anything else is refused or
reduced to plain data, and nothing is unpickled."""

import io
import json
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
    value = {
        "W1": np.arange(6.0).reshape(2, 3),
        "b1": np.zeros((2, 1), np.float32),
        "t": 3,
        "lr": 0.5,
        "names": ["W1", "b1"],
        "pair": (1, 2.5),
        "none": None,
        "flag": True,
        "scalar": np.float64(2.5),
        "int32": np.int32(7),
    }
    back = roundtrip(value)
    np.testing.assert_array_equal(back["W1"], value["W1"])
    assert back["b1"].dtype == np.float32 and back["b1"].shape == (2, 1)
    assert back["pair"] == (1, 2.5) and back["names"] == ["W1", "b1"] and back["none"] is None
    assert back["flag"] is True and back["t"] == 3 and type(back["t"]) is int
    assert type(back["scalar"]) is np.float64 and back["int32"].dtype == np.int32


@pytest.mark.parametrize(
    "array",
    [
        np.asfortranarray(np.arange(12.0).reshape(3, 4)),
        np.arange(6, dtype=">i4").reshape(2, 3),
        np.array(["ab", "c"]),
        np.zeros((0, 3)),
        np.arange(24.0).reshape(2, 3, 4)[:, ::2, 1:],
        np.arange(24.0).reshape(2, 3, 4).transpose(1, 0, 2)[:, :, ::2],  # its copy is neither C nor F
    ],
)
def test_every_layout_and_byte_order_round_trips_to_an_owned_array(array):
    back = roundtrip([array, array])[0]
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    assert back.flags.owndata and back.flags.writeable


def _array_frame(node, blob):
    header = json.dumps({"__nd__": node}).encode()
    return wire.PREFIX.pack(wire.MAGIC, len(header), len(blob)) + header + blob


BLOB = np.arange(6.0).tobytes()  # a (2, 3) float64 array's bytes


@pytest.mark.parametrize(
    "node",
    [
        [0, "<f8", [9, 9], False],  # a shape larger than the data
        [8, "<f8", [2, 3], False],  # an offset that runs past the end
        [-8, "<f8", [2, 3], False],  # a negative offset
        [0, "|O", [2, 3], False],  # an object dtype (pickles)
        [0, "|V8", [2, 3], False],  # raw void records
        [0, "[('a', '<f8')]", [2, 3], False],  # a record dtype
        [0, "(2,)<f8", [3], False],  # a sub-array dtype
        [0, "float64", [2, 3], False],  # not numpy's canonical string
        [0, "<f8", [2, -3], False],  # a negative dimension
        [0, "<f8", [2.0, 3], False],  # a fractional one
        [0, "<f8", [1] * 40 + [6], False],  # too many dimensions
        [0, "<f8", [2, 3], 0],  # an order that is not a boolean
        [0, "<f8", [2, 3]],  # a field missing
        "0",  # not a list at all
    ],
)
def test_lying_array_headers_raise_wire_error(node):
    stream = io.BytesIO(_array_frame(node, BLOB))
    with pytest.raises(wire.WireError):
        wire.read_frame(lambda n: stream.read(n))


def test_an_honest_array_header_is_read():
    stream = io.BytesIO(_array_frame([0, "<f8", [2, 3], False], BLOB))
    np.testing.assert_array_equal(wire.read_frame(lambda n: stream.read(n)), np.arange(6.0).reshape(2, 3))


PACKABLE = [
    {"W1": np.arange(6.0).reshape(2, 3), "b1": np.zeros((2, 1)), "W2": np.asfortranarray(np.ones((3, 2)))},
    {"D1": np.array([[True, False]]), "D2": np.ones((0, 4), bool)},
    {"a": np.arange(3, dtype=">i4"), "s": np.array(5, dtype=">i4")},  # a 0-d array comes back a scalar
    {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1), np.float32)},  # two dtypes: not packed
    {"W1": np.ones((2, 2)), "t": 3},  # not all arrays: not packed
    {"__nd__": np.ones(2), "x": np.ones(2)},  # a reserved key: refused as without packing
]


@pytest.mark.parametrize("value", PACKABLE)
def test_a_packed_dict_of_arrays_reads_as_the_plain_frame_reads(value):
    plain, packed = wire.read_bytes(wire.encode(value)), wire.read_bytes(wire.encode(value, packed=True))
    assert type(plain) is type(packed)
    if isinstance(plain, wire.Unsupported):
        assert plain.type_name == packed.type_name
        return
    assert list(packed) == list(plain)
    for key, array in plain.items():
        got = packed[key]
        assert type(got) is type(array)
        if not isinstance(array, (np.ndarray, np.generic)):
            assert got == array
            continue
        assert got.dtype == array.dtype and np.shape(got) == np.shape(array)
        assert np.asarray(got).tobytes() == np.asarray(array).tobytes()
        if type(got) is np.ndarray:
            assert got.flags.writeable and got.flags.f_contiguous == array.flags.f_contiguous


def test_the_arrays_of_a_packed_dict_do_not_share_memory_with_each_other():
    got = wire.read_bytes(wire.encode({"a": np.zeros(3), "b": np.zeros(3)}, packed=True))
    got["a"] += 1
    assert got["b"].tolist() == [0.0, 0.0, 0.0] and not np.shares_memory(got["a"], got["b"])


def _packed_frame(node, blob):
    header = json.dumps({"__nds__": node}).encode()
    return wire.PREFIX.pack(wire.MAGIC, len(header), len(blob)) + header + blob


@pytest.mark.parametrize(
    "node",
    [
        [0, "<f8", ["a", "b"], [[2, 3], [2, 3]], [False, False]],  # more bytes than the frame holds
        [0, "<f8", ["a"], [[2, 3], [1]], [False]],  # lists of different lengths
        [0, "<f8", ["a", 1], [[3], [3]], [False, False]],  # a key that is not a string
        [0, "<f8", ["a", "b"], [[3], [-3]], [False, False]],  # a negative dimension
        [0, "<f8", ["a", "b"], [[3], [1.5]], [False, False]],  # a fractional one
        [0, "<f8", ["a", "b"], [[3], 3], [False, False]],  # a shape that is not a list
        [0, "|O", ["a", "b"], [[3], [3]], [False, False]],  # an object dtype
        [-8, "<f8", ["a", "b"], [[3], [3]], [False, False]],  # a negative offset
        [0, "<f8", ["a", "b"], [[3], [3]], [False, 0]],  # an order that is not a boolean
        [0, "<f8", ["a", "b"], [[3], [3]]],  # a field missing
        {"a": 1},  # not a list at all
    ],
)
def test_lying_packed_headers_raise_wire_error(node):
    with pytest.raises(wire.WireError):
        wire.read_bytes(_packed_frame(node, BLOB))


def test_an_honest_packed_header_is_read():
    got = wire.read_bytes(_packed_frame([0, "<f8", ["a", "b"], [[2, 2], [2]], [False, True]], BLOB))
    assert got["a"].tolist() == [[0.0, 1.0], [2.0, 3.0]] and got["b"].tolist() == [4.0, 5.0]


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


@pytest.mark.parametrize(
    "frame",
    [
        b"XXXX" + struct.pack("<QQ", 2, 0) + b"{}",
        wire.PREFIX.pack(wire.MAGIC, wire.MAX_HEADER_BYTES + 1, 0),
        wire.PREFIX.pack(wire.MAGIC, 2, 0) + b"{x",
        wire.PREFIX.pack(wire.MAGIC, 40, 4) + b'{"__nd__": [0, "<f8", [1], false]}      ' + b"\x00" * 4,
    ],
)
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
    stream = io.BytesIO(_array_frame([0, "|O", [1], False], blob))
    with pytest.raises(wire.WireError):
        wire.read_frame(lambda n: stream.read(n))


def _read(frame, trusted=False):
    return wire.read_bytes(frame, trusted=trusted)


def test_the_graders_requests_are_pickled_and_read_as_the_wire_reads_them():
    request = {
        "args": [np.arange(6.0).reshape(2, 3), np.asfortranarray(np.ones((2, 2))), (1, 2.5, None), np.float64(3.0)],
        "kwargs": {
            "seed": 7,
            "flag": True,
            "nan": math.nan,
            "view": np.arange(24.0).reshape(4, 6).T[:, ::2],
            "axes": np.arange(24.0).reshape(2, 3, 4).transpose(1, 0, 2)[:, :, ::2],
        },
    }
    frame = wire.encode_trusted(request)
    assert frame[:4] == wire.TRUSTED_MAGIC
    got, plain = _read(frame, trusted=True), _read(wire.encode(request))
    assert repr(got) == repr(plain)  # the same types and values
    for a, b in zip(
        got["args"][:2] + [got["kwargs"]["view"], got["kwargs"]["axes"]],
        plain["args"][:2] + [plain["kwargs"]["view"], plain["kwargs"]["axes"]],
    ):
        assert a.flags.f_contiguous == b.flags.f_contiguous and a.flags.c_contiguous == b.flags.c_contiguous


@pytest.mark.parametrize(
    "odd",
    [np.ones(2).view(np.matrix), np.array([object()]), type("Float", (float,), {})(1.5), print],
)
def test_a_request_that_is_not_plain_data_goes_by_the_wire_format(odd):
    frame = wire.encode_trusted({"x": odd})
    assert frame[:4] == wire.MAGIC
    assert repr(_read(frame, trusted=True)) == repr(_read(wire.encode({"x": odd})))


def test_an_object_sent_twice_arrives_as_two_copies_as_the_wire_sends_it():
    zeros = np.zeros(3)
    shared = {"v": {"dW1": zeros}, "s": {"dW1": zeros}, "same": [zeros, zeros]}
    got = _read(wire.encode_trusted(shared), trusted=True)
    got["v"]["dW1"] += 1  # an in-place update of one must not reach the others
    assert got["s"]["dW1"].sum() == 0 and got["same"][0] is not got["same"][1]


def test_a_request_that_refers_to_itself_is_refused_as_the_wire_refuses_it():
    loop = []
    loop.append(loop)
    for encode in (wire.encode, wire.encode_trusted):
        with pytest.raises(wire.WireError, match="nested too deeply"):
            encode({"x": loop})


def test_the_grader_never_reads_a_pickle():
    with pytest.raises(wire.WireError, match="bad frame marker"):
        _read(wire.encode_trusted({"x": np.ones(3)}))


def test_a_header_met_again_is_parsed_once_and_its_values_are_built_anew(monkeypatch):
    value = {"ok": True, "value": [{"W1": np.ones((2, 3)), "b1": np.zeros((2, 1))}, (1.5, "x", None)]}
    frame = wire.encode(value, packed=True)
    parses = []
    real = wire.json.loads
    monkeypatch.setattr(wire.json, "loads", lambda text: parses.append(1) or real(text))
    monkeypatch.setattr(wire, "_TREES", {})
    first, second = wire.read_bytes(frame), wire.read_bytes(frame)
    assert len(parses) == 1
    assert first["value"][1] == second["value"][1] == (1.5, "x", None)
    assert first["value"][0] is not second["value"][0] and first["value"] is not second["value"]
    first["value"][0]["W1"][0, 0] = 7.0  # an answer changed in place changes no later one
    assert wire.read_bytes(frame)["value"][0]["W1"][0, 0] == 1.0 and len(parses) == 1
    for n in range(wire.TREES_KEPT + 10):  # kept for a bounded number of headers
        wire.read_bytes(wire.encode({"n": n}))
    assert len(wire._TREES) == wire.TREES_KEPT


def test_a_call_many_reply_holds_each_calls_reply_in_a_frame_of_its_own():
    replies = [
        {"ok": True, "value": {"a": np.arange(3.0), "b": np.ones((2, 2))}},
        {"ok": False, "error": {"kind": "x"}},
    ]
    stream = io.BytesIO(wire.encode_replies(replies, "printed"))
    header, blobs = wire.read_frame(lambda n: stream.read(n), with_blobs=True)
    assert header == {"ok": True, "frames": header["frames"], "printed": "printed"}
    frames = wire.split_replies(header, blobs, 2)
    assert [frame for frame, _, _ in frames] == [wire.encode(reply, packed=True) for reply in replies]
    with pytest.raises(wire.WireError):
        wire.split_replies(header, blobs, 3)


def test_the_calls_frames_share_one_frames_limits():
    big = {"ok": True, "value": np.zeros(wire.MAX_BLOB_BYTES // 8 // 2 + 1)}
    wire.encode_replies([big], "")  # one fits
    with pytest.raises(wire.WireError, match="MiB"):
        wire.encode_replies([big, big], "")  # two do not, as in one frame of both
    with pytest.raises(wire.WireError, match="MiB"):
        wire.encode({"ok": True, "value": [big, big]}, packed=True)


def test_a_kept_request_frame_is_read_back_as_plain_data_only():
    import pickle

    frame = wire.encode_trusted({"args": [np.arange(4.0).reshape(2, 2).T, np.float64(1.5)], "kwargs": {"seed": 1}})
    value = wire.read_plain(frame)
    assert np.array_equal(value["args"][0], np.arange(4.0).reshape(2, 2).T) and value["args"][1] == 1.5

    class Payload:
        def __reduce__(self):
            return (print, ("run",))

    data = pickle.dumps(Payload(), protocol=5)
    with pytest.raises(pickle.UnpicklingError):
        wire.read_plain(wire.PREFIX.pack(wire.TRUSTED_MAGIC, 0, len(data)) + data)
