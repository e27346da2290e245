/**
 * Python source of the recurrent blocks, mirroring core/layers/recurrence.ts: Keras weight layout and gate order,
 * logistic-sigmoid gates, and a GRU that applies its reset gate before the recurrent matmul (Keras
 * reset_after=False, which nn.GRU is not). Padding carries the state at any position, so the cells run step by
 * step instead of through nn.LSTM + pack_padded_sequence (which would also zero the outputs at padding).
 */
export const recurrent = String.raw`class RecurrentCell(nn.Module):
    """One direction of a SimpleRNN ("rnn"), LSTM or GRU cell, weights in PyTorch layout:
    ih(x) = x W^T + b for all gates at once, hh(h) = h U^T (no bias). Gate order is Keras's:
    LSTM [input, forget, cell, output] (the i, f, g, o of nn.LSTM); GRU [update z, reset r, candidate],
    with the reset applied to h before its matmul (nn.GRU applies it after, and orders r, z, n)."""

    GATES = {"rnn": 1, "gru": 3, "lstm": 4}

    def __init__(self, cell, d, h):
        super().__init__()
        self.cell, self.h = cell, h
        self.ih = nn.Linear(d, self.GATES[cell] * h)
        self.hh = nn.Linear(h, self.GATES[cell] * h, bias=False)

    def step(self, xw, h, c):  # xw: (B, gH) input part of the gates; h, c: (B, H)
        H = self.h
        if self.cell == "rnn":
            return torch.tanh(xw + self.hh(h)), c  # (B, H)
        if self.cell == "lstm":
            i, f, g, o = (xw + self.hh(h)).split(H, dim=1)  # each (B, H)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)  # (B, H)
            return torch.sigmoid(o) * torch.tanh(c), c  # (B, H)
        xz, xr, xh = xw.split(H, dim=1)  # each (B, H)
        hz, hr = F.linear(h, self.hh.weight[: 2 * H]).split(H, dim=1)  # each (B, H)
        z = torch.sigmoid(xz + hz)  # update gate
        r = torch.sigmoid(xr + hr)  # reset gate
        candidate = torch.tanh(xh + F.linear(r * h, self.hh.weight[2 * H :]))  # (B, H)
        return z * h + (1.0 - z) * candidate, c  # (B, H)


class Recurrent(nn.Module):
    """A masked SimpleRNN / LSTM / GRU over x (B, T, D): at padding (id 0) the state carries over unchanged, so
    the last output is the state after the last real token. Bidirectional adds a right-to-left cell and
    concatenates both: (B, T, 2H) with return_sequences, else (B, 2H)."""

    def __init__(self, cell, d, h, return_sequences, bidirectional):
        super().__init__()
        self.return_sequences = return_sequences
        self.fwd = RecurrentCell(cell, d, h)
        self.bwd = RecurrentCell(cell, d, h) if bidirectional else None

    @staticmethod
    def run(cell, x, keep, reverse):  # x: (B, T, D), keep: (B, T)
        B, T, _ = x.shape
        xw = cell.ih(x)  # (B, T, gH): the input part of every step at once
        h = x.new_zeros(B, cell.h)  # (B, H)
        c = x.new_zeros(B, cell.h)  # (B, H), used by the LSTM only
        outs = [None] * T
        for t in range(T - 1, -1, -1) if reverse else range(T):
            m = keep[:, t : t + 1]  # (B, 1): 0 at padding
            h_new, c_new = cell.step(xw[:, t], h, c)
            h = m * h_new + (1.0 - m) * h  # padding keeps the previous state
            c = m * c_new + (1.0 - m) * c
            outs[t] = h
        return torch.stack(outs, 1), h  # (B, T, H), (B, H)

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        seq, last = self.run(self.fwd, x, keep, reverse=False)
        if self.bwd is not None:
            seq_b, last_b = self.run(self.bwd, x, keep, reverse=True)
            seq, last = torch.cat([seq, seq_b], -1), torch.cat([last, last_b], -1)  # (B, T, 2H), (B, 2H)
        return seq if self.return_sequences else last
`;
