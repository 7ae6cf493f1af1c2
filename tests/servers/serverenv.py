"""Read the env files written by tests/servers/*.sh start.

    import sys; sys.path.insert(0, os.path.join(top_srcdir, "tests/servers"))
    import serverenv
    env = serverenv.load(os.path.join(d, "dovecot.env"))
    port = int(env["POP3_PORT"])
"""
import shlex


def load(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, value = line.partition("=")
            words = shlex.split(value)
            env[key] = words[0] if words else ""
    return env
