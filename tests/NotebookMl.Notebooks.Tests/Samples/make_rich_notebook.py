"""Writes, with the real nbformat, a notebook exercising what nbformat.write does to text:
unicode, multi-line sources and outputs, an empty source, attachments, floats, key order."""
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

nb = new_notebook(metadata={
    "kernelspec": {"display_name": "C# (NotebookMl)", "language": "C#", "name": "notebookml-csharp"},
    "language_info": {"file_extension": ".cs", "mimetype": "text/x-csharp", "name": "C#", "pygments_lexer": "csharp"},
    "custom": {
        "zeta": 1,
        "numbers": [1.5, 1e-05, 0.0001, 1e16, 1e15, 1e+20, 0.1, 100.0, -0.0, 2.5e-300, 12345678901234567890, True, None],
        "ünïcødé": "çødé ✓ 😀",
        "\uffff": "last BMP key",
        "😀": "astral key",
        "Zebra": "capital",
        "control": "a\x01b\x1fc\x7fd\u2028e\tf\"g\\h/i\b\f",
        "empty": {},
        "nothing": [],
    },
})
nb.cells = [
    new_markdown_cell(
        "# Überschrift ✓\n\nLine two\r\nline three\rline four\x0cfive\x85six\u2028seven",
        id="md-1",
        attachments={"chart.png": {"image/png": "iVBORw0KGgoAAAANSUhEUg==", "text/plain": "alt\ntext\n"}},
    ),
    new_code_cell("", id="empty-source"),
    new_code_cell(
        'var x = 1;\nConsole.WriteLine("héllo 世界");\n',
        id="code-2",
        execution_count=3,
        metadata={"tags": ["parameters"], "polyglot_notebook": {"kernelName": "csharp"}},
        outputs=[
            new_output("stream", name="stdout", text="héllo 世界\nsecond line\n"),
            new_output(
                "display_data",
                data={
                    "text/html": "<table>\n<tr><td>1</td></tr>\n</table>",
                    "text/plain": "table",
                    "application/json": {"a": [1, 2.0, {"b": "multi\nline"}]},
                    "application/vnd.custom+json": {"z": "y\nx"},
                    "image/png": "iVBORw0KGgo=\n",
                    "image/svg+xml": "<svg>\n</svg>\n",
                },
                metadata={"image/png": {"width": 10}},
            ),
            new_output("execute_result", data={"text/plain": "42"}, execution_count=3),
            new_output("error", ename="Exception", evalue="boom ✗", traceback=["line 1", "line 2\nmore"]),
        ],
    ),
    new_raw_cell("raw\ntext\n", id="raw-1"),
]
nbformat.write(nb, sys.argv[1])
