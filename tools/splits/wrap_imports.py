import sys
for p in sys.argv[1:]:
    out = []
    for line in open(p).read().split("\n"):
        if line.startswith("from ") and " import " in line and len(line) > 120 and "(" not in line:
            head, names = line.split(" import ", 1)
            names = names.split(", ")
            prefix = head + " import ("
            cur = prefix
            for i, n in enumerate(names):
                piece = n + (", " if i < len(names) - 1 else ")")
                if len(cur) + len(piece.rstrip()) > 120:
                    out.append(cur.rstrip()); cur = " " * len(prefix)
                cur += piece
            out.append(cur)
        else:
            out.append(line)
    open(p, "w").write("\n".join(out))
