/**
 * Python source of train.py's data side: reading .txt, .tsv and .jsonl as Wordloom does (core/data/formats*.ts)
 * and sampling padded batches as core/data/batching.ts does (rows right-padded with 0, weight 0 on padding).
 */
export const dataSource = String.raw`_PAIRS = [("tokens", "tags", "tag"), ("prompt", "completion", "prompt"), ("instruction", "response", "prompt"),
          ("text", "label", "classify")]


def read_data(path, columns):
    """("text", str) | ("classify", [(text, label)]) | ("tag", [(tokens, tags)]) | ("prompt", [(prompt, completion)])."""
    if not os.path.isfile(path):
        sys.exit(f"Cannot read {path}: no such file.")
    with open(path, encoding="utf-8") as f:
        text = f.read().lstrip("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        sys.exit(f"{path} is empty.")
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    first = next((line for line in text.split("\n") if line.strip()), "")
    fmt = {"txt": "text", "text": "text", "md": "text", "tsv": "tsv", "tab": "tsv", "jsonl": "jsonl", "ndjson": "jsonl"}.get(
        ext, "jsonl" if first.lstrip().startswith("{") else "tsv" if "\t" in first else "text")
    if fmt == "text":
        return "text", text
    lines = [(n + 1, line) for n, line in enumerate(text.split("\n")) if line.strip()]
    return _read_tsv(path, lines, columns) if fmt == "tsv" else _read_jsonl(path, lines, columns)


def _read_tsv(path, lines, columns):
    head = [c.strip().lower() for c in lines[0][1].split("\t")]
    pairs = [(columns[0].lower(), columns[1].lower(), None)] if columns else _PAIRS
    pick = next(((head.index(a), head.index(b), kind) for a, b, kind in pairs if a in head and b in head), None)
    if columns and pick is None:
        sys.exit(f"{path} line 1 has no {columns[0]!r} and {columns[1]!r} columns.")
    rows = lines[1:] if pick else lines
    a, b, kind = pick or (0, 1, "classify")
    kind = kind or ("prompt" if TASK == "next-token" else "classify")
    out = []
    for n, line in rows:
        cells = line.split("\t")
        if len(cells) != (len(head) if pick else 2):
            sys.exit(f"{path} line {n} has {len(cells)} columns; expected {len(head) if pick else 2}.")
        out.append((cells[a], cells[b].strip() if kind == "classify" else cells[b]))
    return kind, out


def _read_jsonl(path, lines, columns):
    objs = []
    for n, line in lines:
        try:
            objs.append((n, json.loads(line)))
        except ValueError:
            sys.exit(f"{path} line {n} is not valid JSON.")
    pairs = [(columns[0], columns[1], "prompt" if TASK == "next-token" else "classify")] if columns else _PAIRS
    pick = next(((a, b, kind) for a, b, kind in pairs if a in objs[0][1] and b in objs[0][1]), None)
    if pick is None:
        sys.exit(f"{path} line {objs[0][0]} has none of the field pairs tokens/tags, prompt/completion, "
                 "instruction/response or text/label.")
    a, b, kind = pick
    out = []
    for n, o in objs:
        if a not in o or b not in o:
            sys.exit(f"{path} line {n} has no {a!r} and {b!r} fields.")
        out.append((o[a], str(o[b]).strip() if kind == "classify" else o[b]))
    return kind, out


def examples_for_task(path, kind, data, tok, labels):
    """The data as what this model trains on: a token stream, (ids, loss mask) rows, (ids, class) or (ids, tags)."""
    if TASK == "next-token":
        if kind == "prompt":
            rows = []
            for prompt, completion in data:
                p, c = tok.encode(prompt), tok.encode(completion)
                ids = p + [tok.sep_id] + c + [tok.eos_id]
                rows.append((ids, [0] * (len(p) + 1) + [1] * (len(c) + 1)))  # loss on the completion only
            return "sequences", rows
        if kind == "text":
            return "stream", tok.encode(data)
        text = "\n".join(" ".join(a) if kind == "tag" else a for a, _ in data) + "\n"
        return "stream", tok.encode(text)
    want = "classify" if TASK == "classify" else "tag"
    if kind != want:
        needs = "text and label columns" if want == "classify" else "JSONL with tokens and tags arrays"
        sys.exit(f"{path} is not {want} data; this model needs {needs}.")
    index = {name: i for i, name in enumerate(labels)}
    rows = []
    for a, b in data:
        for name in [b] if want == "classify" else b:
            if name not in index:
                sys.exit(f"{path} has the {want} {name!r}, which the model does not know (it knows {', '.join(labels)}).")
        if want == "classify":
            rows.append((tok.encode(a), index[b]))
        else:
            ids, word_index = tok.tokenize_words(a)
            rows.append((ids, [index[b[w]] if w >= 0 else -1 for w in word_index]))
    return want, rows


def sample_batch(kind, examples, batch, rng):
    """tokens (B, T), targets (B, T) or (B,), weights like targets: right-padded with 0, weight 0 on padding."""
    per_row = 1 if kind == "classify" else T
    tokens = torch.zeros(batch, T, dtype=torch.long)
    targets = torch.zeros(batch, per_row, dtype=torch.long)
    weights = torch.zeros(batch, per_row)
    for r in range(batch):
        if kind == "stream":
            i = rng.randrange(max(1, len(examples) - T))
            window = examples[i : i + T + 1]
            n = min(T, len(window))
            tokens[r, :n] = torch.tensor(window[:n])
            targets[r, : len(window) - 1] = torch.tensor(window[1:])
            weights[r, : len(window) - 1] = 1.0
            continue
        ids, label = examples[rng.randrange(len(examples))]
        n = min(T, len(ids))
        tokens[r, :n] = torch.tensor(ids[:n])
        if kind == "classify":
            targets[r, 0], weights[r, 0] = label, 1.0
        elif kind == "tag":
            tags = torch.tensor(label[:n])
            targets[r, :n], weights[r, :n] = tags.clamp(min=0), (tags >= 0).float()
        else:  # sequences: predict ids[t + 1], weighted by the loss mask
            m = min(T, len(ids) - 1)
            targets[r, :m] = torch.tensor(ids[1 : m + 1])
            weights[r, :m] = torch.tensor(label[1 : m + 1], dtype=torch.float)
    if kind == "classify":
        return tokens, targets[:, 0], weights[:, 0]
    return tokens, targets, weights
`;
