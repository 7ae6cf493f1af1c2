#!/bin/sh
# Start and stop tests/servers/smtpd.py (a capturing SMTP server) on a free
# 127.0.0.1 port.  See tests/servers/README.
#
#   smtpd.sh start DIR [--cert good|wronghost|expired|selfsigned]
#                      [--certs CERTDIR] [--no-tls] [smtpd.py options...]
#   smtpd.sh stop DIR
#
# start returns once the server answers, and writes DIR/smtpd.env (shell
# syntax, KEY='value'): SMTP_HOST SMTP_PORT SMTP_SECURITY SMTP_USER
# SMTP_PASSWORD SMTP_OUTDIR SMTP_COMMANDS SMTP_LOG SMTP_CA_FILE.  Messages
# land in DIR/out (N.eml + N.json); DIR/out/commands.log has every command.
# By default it offers STARTTLS with the test CA's localhost certificate
# and AUTH PLAIN/LOGIN for user "alice" password "smtp-pw-1" (override with
# --user/--password); --no-tls offers no TLS at all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3:-/usr/bin/python3}
[ -x "$PY" ] || PY=/usr/bin/python3

die() { echo "smtpd.sh: $*" >&2; exit 1; }
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 2 ] || usage
cmd=$1 dir=$2
shift 2
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

do_stop() {
    [ -f "$dir/smtpd.pid" ] || return 0
    pid=$(cat "$dir/smtpd.pid")
    if kill "$pid" 2>/dev/null; then
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
            sleep 0.05; i=$((i + 1))
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/smtpd.pid"
}

do_start() {
    cert=good certs= tls=yes user=alice password=smtp-pw-1 smtps=no port=
    rest=
    while [ $# -gt 0 ]; do
        case $1 in
            --cert) cert=$2; shift 2 ;;
            --certs) certs=$2; shift 2 ;;
            --no-tls) tls=no; shift ;;
            --user) user=$2; shift 2 ;;
            --password) password=$2; shift 2 ;;
            --port) port=$2; shift 2 ;;
            --smtps) smtps=yes; rest="$rest $1"; shift ;;
            --reject|--tempfail-data|--drop-after-data|--oauth-token)
                rest="$rest $1 $(q "$2")"; shift 2 ;;
            --*) rest="$rest $1"; shift ;;
            *) usage ;;
        esac
    done
    case $cert in
        good) cname=localhost ;;
        wronghost|expired|selfsigned) cname=$cert ;;
        *) die "unknown --cert $cert" ;;
    esac
    [ -f "$dir/smtpd.pid" ] && kill -0 "$(cat "$dir/smtpd.pid")" 2>/dev/null &&
        die "already running in $dir"
    mkdir -p "$dir/out"
    dir=$(cd "$dir" && pwd)
    if [ -z "$certs" ]; then
        certs=$dir/certs
        [ -f "$certs/ca.pem" ] || "$here/mkcerts.sh" "$certs"
    fi
    certs=$(cd "$certs" && pwd)
    # Reuse the port of an earlier start in DIR (configs stay valid).
    if [ -z "$port" ] && [ -f "$dir/smtpd.env" ]; then
        port=$(sed -n "s/^SMTP_PORT='\(.*\)'/\1/p" "$dir/smtpd.env")
    fi
    # No port yet: smtpd.py binds a free one itself and reports it.
    [ -n "$port" ] || port=0

    rm -f "$dir/smtpd.port"
    set -- --port "$port" --port-file "$dir/smtpd.port" --outdir "$dir/out" --pidfile "$dir/smtpd.pid"
    [ "$tls" = no ] || set -- "$@" --cert "$certs/$cname.pem" --key "$certs/$cname.key"
    [ -z "$user" ] || set -- "$@" --user "$user" --password "$password"
    rm -f "$dir/smtpd.pid"
    eval "set -- \"\$@\" $rest"
    # Own session, no terminal: the server outlives this script until stop.
    setsid "$PY" "$here/smtpd.py" "$@" </dev/null >>"$dir/smtpd.log" 2>&1 &
    child=$!
    # smtpd.py writes its pid file once the server has answered its own
    # check connection (aiosmtpd's Controller.start); wait for that.
    i=0
    while [ ! -f "$dir/smtpd.pid" ] && [ $i -lt 600 ] && kill -0 "$child" 2>/dev/null; do
        sleep 0.05; i=$((i + 1))
    done
    if [ ! -f "$dir/smtpd.pid" ]; then
        kill "$child" 2>/dev/null || true
        tail -n 20 "$dir/smtpd.log" >&2
        die "smtpd.py did not start on 127.0.0.1:$port"
    fi
    port=$(cat "$dir/smtpd.port")

    if [ "$smtps" = yes ]; then sec=tls; elif [ "$tls" = yes ] && ! echo "$rest" | grep -q -- --no-starttls; then sec=starttls; else sec=none; fi
    {
        echo "# Written by tests/servers/smtpd.sh start; source it."
        echo "SMTP_DIR=$(q "$dir")"
        echo "SMTP_HOST='localhost'"
        echo "SMTP_PORT='$port'"
        echo "SMTP_SECURITY='$sec'"
        echo "SMTP_CERT='$cert'"
        echo "SMTP_USER=$(q "$user")"
        echo "SMTP_PASSWORD=$(q "$password")"
        echo "SMTP_OUTDIR=$(q "$dir/out")"
        echo "SMTP_COMMANDS=$(q "$dir/out/commands.log")"
        echo "SMTP_LOG=$(q "$dir/smtpd.log")"
        echo "SMTP_CA_FILE=$(q "$certs/ca.pem")"
    } > "$dir/smtpd.env.tmp"
    mv "$dir/smtpd.env.tmp" "$dir/smtpd.env"
}

case $cmd in
    start) do_start "$@" ;;
    stop) do_stop ;;
    *) usage ;;
esac
