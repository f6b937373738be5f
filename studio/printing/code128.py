"""Code 128 encoding (sets B and C), from the standard's symbol table; no Qt here."""

# Bar and space widths (in modules) of symbols 0..105, six digits each, bar first; the stop
# symbol (106) has seven.
_WIDTHS = (
    "212222222122222221121223121322131222122213122312132212221213221312231212112232122132"
    "122231113222123122123221223211221132221231213212223112312131311222321122321221312212"
    "322112322211212123212321232121111323131123131321112313132113132311211313231113231311"
    "112133112331132131113123113321133121313121211331231131213113213311213131311123311321"
    "331121312113312311332111314111221411431111111224111422121124121421141122141221112214"
    "112412122114122411142112142211241211221114413111241112134111111242121142121241114212"
    "124112124211411212421112421211212141214121412121111143111341131141114113114311411113"
    "411311113141114131311141411131211412211214211232"
)
_STOP_WIDTHS = "2331112"
START_B, START_C = 104, 105
CODE_B, CODE_C = 100, 99
QUIET_ZONE = 10  # modules of white the standard asks for on each side


def _digits_at(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return end - start


def symbols(text: str) -> list[int]:
    """The symbol values for `text`, start to check symbol (without the stop)."""
    if not text:
        raise ValueError("a barcode needs some text")
    bad = sorted({c for c in text if not 32 <= ord(c) <= 126})
    if bad:
        raise ValueError(f"Code 128 cannot hold {''.join(bad)!r}; use letters, digits, -_./")
    # Runs of digits go in set C (two per symbol), which keeps long numbers short enough to
    # scan on a narrow tag; a run too short to gain anything stays in set B.
    in_c = _digits_at(text, 0) >= 4 or (text.isdigit() and len(text) % 2 == 0)
    values = [START_C if in_c else START_B]
    index = 0
    while index < len(text):
        run = _digits_at(text, index)
        if in_c and run >= 2:
            values.append(int(text[index : index + 2]))
            index += 2
        elif in_c:
            values.append(CODE_B)
            in_c = False
        elif run >= 4 and (run % 2 == 0 or run >= 5):
            if run % 2:
                values.append(ord(text[index]) - 32)
                index += 1
            values.append(CODE_C)
            in_c = True
        else:
            values.append(ord(text[index]) - 32)
            index += 1
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return [*values, check]


def module_widths(text: str) -> list[int]:
    """Alternating bar and space widths in modules, starting and ending with a bar."""
    digits = "".join(_WIDTHS[6 * value : 6 * value + 6] for value in symbols(text))
    return [int(width) for width in digits + _STOP_WIDTHS]
