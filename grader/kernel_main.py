"""Start an IPython kernel whose printed output is capped.

Used by grader.sandbox for graded kernels only. A notebook that prints megabytes
would otherwise fill the grader's memory and the student's feedback; here each
stream keeps its first `--output-bytes` bytes, then says once that the rest was cut.
"""
from __future__ import annotations

import sys


def cap_stream(stream, limit: int) -> None:
    """Let `stream.write` pass at most `limit` characters in total."""
    write = stream.write
    state = {"written": 0, "told": False}

    def capped_write(text):
        room = limit - state["written"]
        if room > 0:
            state["written"] += len(text[:room])
            write(text[:room])
        if len(text) > max(room, 0) and not state["told"]:
            state["told"] = True
            write(f"\n[output cut by the grader after {limit} characters]\n")
        return len(text)

    stream.write = capped_write


def main(argv: list[str]) -> None:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m grader.kernel_main")
    parser.add_argument("--output-bytes", type=int, required=True)
    args, kernel_args = parser.parse_known_args(argv)   # the rest is for the kernel (-f ...)
    # No debugger in a graded kernel: nothing attaches to it, and ipykernel would
    # otherwise import debugpy (a tenth of a second per student) and open its socket.
    sys.modules["debugpy"] = None
    from ipykernel.kernelapp import IPKernelApp
    app = IPKernelApp.instance()
    app.initialize(kernel_args)
    cap_stream(sys.stdout, args.output_bytes)
    cap_stream(sys.stderr, args.output_bytes)
    app.start()


if __name__ == "__main__":
    main(sys.argv[1:])
