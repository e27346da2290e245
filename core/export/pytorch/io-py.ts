/**
 * Python source of model.py's file helpers: a safetensors reader that uses the `safetensors` package when it
 * is installed and a built-in one otherwise, the writer train.py saves with, and `load_model`.
 */
export const ioSource = String.raw`_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32}


def read_safetensors_builtin(path):
    """{name: tensor} from a .safetensors file without the safetensors package. The format: an 8-byte
    little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}}
    (and an optional "__metadata__"), then the raw little-endian tensor bytes."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    data = memoryview(blob)[8 + n :]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(spec["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has dtype {spec['dtype']}, which this reader does not read")
        begin, end = spec["data_offsets"]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.zeros(0, dtype=dtype)
        tensors[name] = flat.reshape(spec["shape"])
    return tensors


def read_safetensors(path):
    """{name: tensor}: with the safetensors package when it is installed, else with the built-in reader."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        return read_safetensors_builtin(path)
    return load_file(path)


def write_safetensors(tensors, path, metadata=None):
    """Writes {name: tensor} as float32 safetensors (the layout Wordloom writes), header padded to 8 bytes."""
    header = {"__metadata__": dict(metadata)} if metadata else {}
    chunks, offset = [], 0
    for name, t in tensors.items():
        t = t.detach().to("cpu", torch.float32).contiguous()
        try:
            raw = t.numpy().astype("<f4").tobytes()
        except (ImportError, RuntimeError):  # no numpy: slower, same bytes
            raw = struct.pack(f"<{t.numel()}f", *t.flatten().tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for raw in chunks:
            f.write(raw)
    os.replace(tmp, path)


def save_weights(model, path):
    """Saves the model's state_dict as weights.safetensors (the keys load_model expects)."""
    write_safetensors(model.state_dict(), path, {"format": "pt", "generator": "wordloom"})


def load_model(directory=None, device="cpu"):
    """The model with its trained weights, in eval mode. directory: where weights.safetensors is (default: here)."""
    directory = directory or os.path.dirname(os.path.abspath(__file__))
    model = Model()
    model.load_state_dict(read_safetensors(os.path.join(directory, "weights.safetensors")))
    return model.to(device).eval()
`;
