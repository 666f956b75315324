"""Check-digit rules that carriers publish, so a random run of digits is not taken for a parcel."""

from __future__ import annotations

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_FEDEX12_WEIGHTS = (3, 1, 7)


def _char_value(char: str) -> int:
    # UPS maps letters onto digits this way (A=2 ... H=9, I=0 ... R=9, S=0 ... Z=7).
    return int(char) if char.isdigit() else (ord(char) - 3) % 10


def ups_1z_valid(number: str) -> bool:
    """UPS ``1Z`` + 16: mod 10 over the 15 characters after ``1Z``, odd positions doubled."""
    body, check = number[2:-1], number[-1]
    if len(number) != 18 or not check.isdigit():
        return False
    total = sum(_char_value(c) * (2 if i % 2 else 1) for i, c in enumerate(body))
    return (10 - total % 10) % 10 == int(check)


def gs1_mod10_valid(digits: str) -> bool:
    """GS1 mod 10 (weights 3,1 from the right of the payload): USPS IMpb, FedEx Ground, SSCC."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    payload, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10 == check


def s10_valid(number: str) -> bool:
    """UPU S10 (``RB123456785GB``): weights 8,6,4,2,3,5,9,7; 11 - sum mod 11, 10 -> 0, 11 -> 5."""
    if len(number) != 13:
        return False
    serial, check = number[2:10], number[10]
    if not (serial.isdigit() and check.isdigit()):
        return False
    value = 11 - sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    expected = {10: 0, 11: 5}.get(value, value)
    return expected == int(check)


def fedex12_valid(digits: str) -> bool:
    """FedEx Express 12 digits: weights 3,1,7 repeating over the first 11, sum mod 11 mod 10."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    payload, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * _FEDEX12_WEIGHTS[i % 3] for i, d in enumerate(payload))
    return total % 11 % 10 == check


def dhl_mod7_valid(digits: str) -> bool:
    """DHL Express 10/11 digits: the last digit is the rest of the payload modulo 7."""
    if len(digits) not in (10, 11) or not digits.isdigit():
        return False
    return int(digits[:-1]) % 7 == int(digits[-1])


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check digit, as payment card numbers carry."""
    if not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def dpd_valid(number: str) -> bool:
    """DPD's 14-digit parcel number and its check character, ISO 7064 MOD 37,36 (hybrid):
    ``09980000020033F``."""
    payload, check = number[:-1], number[-1:]
    if len(number) != 15 or not payload.isdigit() or check not in _ALNUM:
        return False
    product = 36
    for char in payload:
        total = (product + int(char)) % 36 or 36
        product = total * 2 % 37
    return _ALNUM[(37 - product) % 36] == check
