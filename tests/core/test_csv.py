import io
from decimal import Decimal

import pytest

from core import csv


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Hanbit Robotics", "Hanbit Robotics"),
        ("a=b", "a=b"),
        ("", ""),
        (Decimal("-5.00"), Decimal("-5.00")),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise_prefixes_only_text_that_starts_like_a_formula(cell, written):
    assert csv.neutralise(cell) == written


def test_writer_neutralises_every_row():
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["=cmd", Decimal("-1.50")])
    writer.writerows([["@x", "ok"]])
    assert stream.getvalue() == "'=cmd,-1.50\r\n'@x,ok\r\n"
