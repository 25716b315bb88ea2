#!/usr/bin/env python3
"""Writes mpviz's manual page (gzip -9n) from the CLI's own help text.

    make_manpage.py MPVIZ_BINARY OUT.1.gz [en|zh]

Runs `mpviz --help`, `mpviz SUB --help` for every subcommand it lists and
`mpviz --version`, in the chosen language (`--lang`), and turns CLI11's help
layout into roff: so the page never disagrees with the binary. The few parts
the help cannot say (exit status, environment, files) are written here.
"""
import gzip
import os
import re
import subprocess
import sys

TEXT = {
    "en": {
        "name": "NAME", "synopsis": "SYNOPSIS", "description": "DESCRIPTION",
        "options": "OPTIONS", "commands": "COMMANDS", "exit": "EXIT STATUS",
        "env": "ENVIRONMENT", "files": "FILES", "see": "SEE ALSO",
        "manual": "User Commands",
        "about": "mpviz runs the scenarios of a tutorial on Python's multiprocessing (and your own "
                 "Python programs) on real OS processes, and shows every process start, sleep, lock, "
                 "semaphore, queue and pipe operation, exit and kill on a timeline, live. Teachers "
                 "can pause, step one process at a time, slow time down and replay recordings.",
        "exit_text": [("0", "the run finished (or the window was closed)"),
                      ("1", "the run failed"),
                      ("2", "bad arguments or unreadable input; one line on standard error says why")],
        "env_text": [("MPVIZ_DATA_DIR", "where the Python listings and tracer are, when they are not in "
                      "../share/mpviz beside the mpviz binary"),
                     ("LC_ALL, LC_MESSAGES, LANG", "a zh_* locale shows this help in Chinese (--lang overrides)"),
                     ("XDG_CONFIG_HOME", "the window remembers its language, theme and font size in "
                      "$XDG_CONFIG_HOME/mpviz/settings.ini (default ~/.config)")],
        "files_text": [("PREFIX/share/mpviz/listings/", "the Python listing of each scenario"),
                       ("PREFIX/share/mpviz/python/", "the tracer that Python mode injects into /usr/bin/python3"),
                       ("PREFIX/libexec/mpviz/mpviz-proc", "the helper executed for every scenario process")],
    },
    "zh": {
        "name": "名称", "synopsis": "概要", "description": "描述",
        "options": "选项", "commands": "子命令", "exit": "退出状态",
        "env": "环境变量", "files": "文件", "see": "参见",
        "manual": "用户命令",
        "about": "mpviz 在真实的操作系统进程上运行 Python multiprocessing 教程的各个场景（以及你自己的 "
                 "Python 程序），并在时间线上实时显示每个进程的启动、sleep、锁、信号量、队列和管道操作、"
                 "退出和被杀。老师可以暂停、一次让一个进程走一步、放慢时间、回放记录。",
        "exit_text": [("0", "运行完成（或窗口已关闭）"),
                      ("1", "运行失败"),
                      ("2", "参数错误或输入无法读取；标准错误输出一行原因")],
        "env_text": [("MPVIZ_DATA_DIR", "Python 示例程序和追踪器所在的目录（不在 mpviz 程序旁的 ../share/mpviz 时）"),
                     ("LC_ALL, LC_MESSAGES, LANG", "zh_* 语言环境下帮助为中文（--lang 优先）"),
                     ("XDG_CONFIG_HOME", "窗口把语言、主题和字体大小记在 $XDG_CONFIG_HOME/mpviz/settings.ini"
                      "（默认 ~/.config）")],
        "files_text": [("PREFIX/share/mpviz/listings/", "每个场景的 Python 程序"),
                       ("PREFIX/share/mpviz/python/", "Python 模式注入 /usr/bin/python3 的追踪器"),
                       ("PREFIX/libexec/mpviz/mpviz-proc", "每个场景进程执行的辅助程序")],
    },
}


def esc(s):
    """Plain text to roff: backslashes, minus signs, leading dots/quotes."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    if s[:1] in (".", "'"):
        s = "\\&" + s
    return s


def run(binary, args, lang):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.pop("LC_MESSAGES", None)
    r = subprocess.run([binary, "--lang", lang] + args, capture_output=True, text=True, env=env, check=False)
    if r.returncode != 0:
        sys.exit(f"make_manpage: {binary} {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def parse_help(text):
    """CLI11 help -> (paragraphs before the first section, [(section, [(name, desc)])], footer)."""
    intro, sections, footer = [], [], []
    cur = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            if re.fullmatch(r"\S+:", line):
                cur = (line[:-1], [])
                sections.append(cur)
            elif sections:
                footer.append(line)
                cur = None
            else:
                intro.append(line)
            continue
        if cur is None:
            footer.append(line.strip())
            continue
        m = re.match(r"^\s+(\S.*?)\s{2,}(\S.*)$", line)
        if m:
            cur[1].append([m.group(1), m.group(2)])
        elif cur[1] and line.startswith("      ") and not cur[1][-1][1]:
            cur[1][-1][1] = line.strip()  # a long name puts its text on the next line
        else:
            cur[1].append([line.strip(), ""])
    return intro, sections, footer


def entries(out, items):
    for name, desc in items:
        out.append(".TP")
        out.append("\\fB" + esc(name) + "\\fR")
        out.append(esc(desc))


def main():
    binary, dest = sys.argv[1], sys.argv[2]
    lang = sys.argv[3] if len(sys.argv) > 3 else "en"
    t = TEXT[lang]
    version = run(binary, ["--version"], lang).splitlines()[0]  # "mpviz X.Y.Z"
    intro, sections, footer = parse_help(run(binary, ["--help"], lang))
    usage = [l for l in intro if re.match(r"^\S+: ", l)]
    desc = [l for l in intro if l not in usage]
    summary = desc[0].split(" - ", 1)[-1].split(" —— ", 1)[-1] if desc else "mpviz"
    subcommands = [name for sec, items in sections for name, _ in items
                   if sec not in ("Options", "选项", "Positionals", "位置参数")]

    out = [f'.TH MPVIZ 1 "" "{esc(version)}" "{t["manual"]}"',
           *([".ad l", ".nh"] if lang == "zh" else []),  # no justification of CJK text
           f".SH {t['name']}", "mpviz \\- " + esc(summary),
           f".SH {t['synopsis']}"]
    sub_help = {s: parse_help(run(binary, [s, "--help"], lang)) for s in subcommands}
    for u in usage + [l for s in subcommands for l in sub_help[s][0] if re.match(r"^\S+: ", l)]:
        out += ["\\fB" + esc(u.split(": ", 1)[1]) + "\\fR", ".br"]
    out.append(f".SH {t['description']}")
    out += [esc(t["about"]), ".PP"]
    for l in footer:
        out += [esc(l), ".br"]
    out.append(f".SH {t['options']}")
    for sec, items in sections:
        if sec in ("Options", "选项"):
            entries(out, items)
    out.append(f".SH {t['commands']}")
    for s in subcommands:
        s_intro, s_sections, _ = sub_help[s]
        out.append(f'.SS "mpviz {s}"')
        out += [esc(l) for l in s_intro if not re.match(r"^\S+: ", l)]
        for _, items in s_sections:
            entries(out, items)
    for key, title in (("exit_text", "exit"), ("env_text", "env"), ("files_text", "files")):
        out.append(f".SH {t[title]}")
        entries(out, t[key])
    out += [f".SH {t['see']}", "\\fBpython3\\fR(1)"]
    data = ("\n".join(out) + "\n").encode("utf-8")
    with open(dest, "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
