"""A corpus of hostile inputs in every format newskg reads, generated from a seed, with good
articles mixed in: what an adversarial run throws at a build. Deterministic: the same seed
writes the same files."""
from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

GOOD = ["Le président russe Vladimir Poutine s'est rendu au Kazakhstan {n}.",
        "Emmanuel Macron se rendra au Rwanda jeudi, a annoncé l'Élysée ({n}).",
        "Le président kazakh Kassym-Jomart Tokaïev a rencontré Xi Jinping à Pékin ({n})."]
DATES = ["2024-03-12", "2023-11", "0001-01-01", "9999-12-31", "9999-12", "2024-02-30", "2024-13",
         "", "hier", "2024-03-12T10:00:00Z", "12/03/2024", None, 20240312, ["2024"]]
NASTY = ["\ud800", "\udfff", "\x00", "\x0c", "\x1b[31m", "\u202e", "\ufeff", "\u2028", "\ufffe",
         "'", '"', "\\", "<script>", "%", "%zz", "[", "]", "{", "}", "\t", "\r", "\n", "é", "ß",
         "😀", "\u0301", " ", "s'entretiendra", "l'homme d'État", ";", ",", "..", "."]
RELATIVE = " Il ira demain au Mali, la semaine prochaine en Inde et le mois prochain en Iran."


def nasty_text(rng: random.Random, size: int) -> str:
    parts = []
    while sum(map(len, parts)) < size:
        choice = rng.random()
        if choice < 0.4:
            parts.append(rng.choice(NASTY))
        elif choice < 0.7:
            parts.append(rng.choice(GOOD).format(n=rng.randrange(1000)))
        elif choice < 0.85:
            parts.append(rng.choice("!?.,;:-'\"«»") * rng.randrange(1, 400))
        else:
            parts.append("".join(chr(rng.randrange(32, 0x3000)) for _ in range(rng.randrange(1, 60))))
    return "".join(parts)


def text_file(rng: random.Random) -> bytes:
    kind = rng.randrange(10)
    body = nasty_text(rng, rng.randrange(0, 3000))
    header = f" date {rng.choice([d for d in DATES if isinstance(d, str)])} \n" if rng.random() < 0.7 else ""
    text = header + body + (RELATIVE if rng.random() < 0.5 else "")
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 2000)))     # binary
    if kind == 1:
        raw = b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
        return raw + (b"\x00" if rng.random() < 0.5 else b"")                       # odd bytes
    if kind == 2:
        return text.encode("latin-1", "replace")
    if kind == 3:
        return text.encode("utf-8", "surrogatepass")                # lone surrogates: not UTF-8
    if kind == 4:
        return rng.choice([b"", b"   \n\n", b" date 2024-01 \n", b"\xef\xbb\xbf"])
    return text.encode("utf-8", "replace")


def html_file(rng: random.Random) -> bytes:
    body = nasty_text(rng, rng.randrange(0, 2000))
    shapes = [f"<html><head><title>{body[:80]}</title></head><body><p>{body}</p></body></html>",
              f"<p>{body}", "<html><script>" + body + "</script></html>", "<" * 500 + body,
              f"<html><body><article><h1>T</h1><p>{body}</p></article></body></html>", ""]
    return rng.choice(shapes).encode("utf-8", "surrogatepass" if rng.random() < 0.2 else "replace")


def json_record(rng: random.Random, good: str | None) -> str:
    if good is not None:
        return json.dumps({"id": good, "text": GOOD[0].format(n=good), "date": "2024-03-12"})
    kind = rng.randrange(12)
    if kind == 0:
        return "[" * rng.choice([10, 5000, 100_000]) + "]" * 10
    if kind == 1:
        return rng.choice(["null", "42", '"text"', "[]", "{", "}", "", "{'id': 1}", "\x00"])
    if kind == 2:       # escapes that decode to lone surrogates
        return '{"id": "s\\ud800%d", "text": "Poutine \\udfff au Mali.", "url": "http://x/\\ud800"}' \
            % rng.randrange(10**6)
    record = {}
    for field in ("id", "text", "title", "date", "url"):
        if rng.random() < 0.8:
            record[field] = rng.choice([
                nasty_text(rng, rng.randrange(0, 300)), rng.choice(DATES), rng.randrange(-5, 10**9),
                {"nested": [1, 2]}, ["a", "b"], True, None, "http://x.org/a[b]%zz\u0007 q",
                "id." * rng.randrange(1, 3), rng.choice(NASTY)])
    if "text" in record and rng.random() < 0.5:
        record["text"] = nasty_text(rng, rng.randrange(1, 2000)) + RELATIVE
    return json.dumps(record, ensure_ascii=rng.random() < 0.5)


def csv_file(rng: random.Random, rows: int, goods: list[str]) -> tuple[bytes, bool]:
    """A CSV export, and whether it has a text column (without one, no row is an article)."""
    buffer = io.StringIO()
    delimiter = rng.choice([",", ";", "\t"])
    writer = csv.writer(buffer, delimiter=delimiter)
    header = ["id", "date", "title", "text", "url"]
    if rng.random() < 0.1:
        header = rng.sample(header, 3)          # maybe no text column
    writer.writerow(header)
    good_rows = {rng.randrange(rows): g for g in goods}
    for row in range(rows):
        if row in good_rows:
            values = {"id": good_rows[row], "date": "2024-03-12", "title": "",
                      "text": GOOD[1].format(n=good_rows[row]), "url": ""}
        else:
            values = {name: nasty_text(rng, rng.randrange(0, 200)).replace("\x00", "")
                      for name in header}
        writer.writerow([values.get(name, "") for name in header])
    text = buffer.getvalue()
    if rng.random() < 0.15:
        text += '"unterminated,' + nasty_text(rng, 100)
    return text.encode("utf-8", "replace"), "text" in header


def write_corpus(folder: Path, seed: int = 15) -> tuple[int, list[str]]:
    """Writes the corpus; returns (number of inputs: files and records, ids of good articles
    that must all reach the graph)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    inputs, goods = 0, []
    for n in range(300):
        (folder / f"t{n:03d}.txt").write_bytes(text_file(rng))
        inputs += 1
    for n in range(20):
        good = f"good-txt-{n}"
        (folder / f"{good}.txt").write_text(" date 2024-03-12\n" + GOOD[2].format(n=good),
                                            encoding="utf-8")
        goods.append(good)
        inputs += 1
    for n in range(60):
        (folder / f"h{n:03d}.html").write_bytes(html_file(rng))
        inputs += 1
    for n in range(10):
        lines = []
        for r in range(50):
            good = f"good-jsonl-{n}-{r}" if r % 10 == 3 else None
            lines.append(json_record(rng, good))
            goods += [good] if good else []
        (folder / f"j{n:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8",
                                                errors="surrogatepass")
        inputs += len(lines)
    for n in range(6):
        rows = 20
        good = [f"good-csv-{n}-{k}" for k in range(2)]
        data, has_text = csv_file(rng, rows, good)
        (folder / f"c{n:02d}.csv").write_bytes(data)
        if has_text:
            goods += good
        inputs += rows
    return inputs, goods
