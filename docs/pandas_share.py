#!/usr/bin/python3
"""The pandas side of the comparison in docs/scaling.md, for that note only
(armsdash and its CI use no Python): read a SIPRI per-delivery-year listing
and print a supplier's share of a recipient's imports and the recipient's
share of the supplier's exports over a period, as `armsdash share` does.

    /usr/bin/python3 docs/pandas_share.py LISTING.csv China Pakistan 2015 2024
"""
import sys

import pandas as pd

path, supplier, recipient, first, last = sys.argv[1:6]
with open(path, encoding="cp1252") as f:
    skip = next(i for i, line in enumerate(f) if line.startswith("SIPRI AT Database ID,"))
df = pd.read_csv(path, skiprows=skip, encoding="cp1252",
                 usecols=["Supplier", "Recipient", "Delivery year", "TIV delivery values"])
df = df[df["Delivery year"].between(int(first), int(last))]
tiv = df["TIV delivery values"]
pair = tiv[(df["Supplier"] == supplier) & (df["Recipient"] == recipient)].sum()
imports = tiv[df["Recipient"] == recipient].sum()
exports = tiv[df["Supplier"] == supplier].sum()
print(f"{supplier}'s share of {recipient}'s arms imports, {first}-{last}: {100 * pair / imports:.2f}%")
print(f"{recipient}'s share of {supplier}'s arms exports, {first}-{last}: {100 * pair / exports:.2f}%")
print(f"TIV: pair {pair}; imports {imports}; exports {exports}")
