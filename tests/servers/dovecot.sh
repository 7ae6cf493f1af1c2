#!/bin/sh
# A private Dovecot POP3 server on 127.0.0.1 high ports, for tests and the
# demo.  Runs as root and as an ordinary user.  See tests/servers/README.
#
#   dovecot.sh start DIR [--cert good|wronghost|expired|selfsigned]
#                        [--certs CERTDIR] [--no-stls] [--user NAME:PASSWORD]...
#   dovecot.sh stop DIR
#   dovecot.sh add-mail DIR [--user NAME] [FILE|-]... [--generate N] [--seed S]
#   dovecot.sh log DIR
#   dovecot.sh kick DIR      (end the POP3 sessions; after a client was killed)
#
# start writes DIR/dovecot.env (shell syntax, KEY='value') with the ports,
# paths, CA file and users, and returns once both listeners answer.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3:-/usr/bin/python3}
[ -x "$PY" ] || PY=/usr/bin/python3
DOVECOT=${DOVECOT:-$(command -v dovecot || echo /usr/sbin/dovecot)}

die() { echo "dovecot.sh: $*" >&2; exit 1; }
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 2 ] || usage
cmd=$1 dir=$2
shift 2
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

pidfile() { echo "$dir/run/master.pid"; }

is_running() {
    [ -f "$(pidfile)" ] && kill -0 "$(cat "$(pidfile)")" 2>/dev/null
}

do_stop() {
    [ -f "$(pidfile)" ] || return 0
    pid=$(cat "$(pidfile)")
    kill "$pid" 2>/dev/null || { rm -f "$(pidfile)"; return 0; }
    # The master stops its children; wait for it (up to 10 s), then force.
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.05; i=$((i + 1))
    done
    # The master runs in its own session (pgid = its pid): take down
    # whatever is left of it.
    kill -9 -- "-$pid" 2>/dev/null || true
    rm -f "$(pidfile)"
}

# End the POP3 sessions of this server, whose clients are gone, and wait
# until they have let go of the mailbox.  Dovecot 2.3's pop3 process can
# miss the end of a client that was killed behind the TLS proxy of
# pop3-login: it then waits 10 minutes ("Client has not read server
# output for 600 secs") with the mbox read-locked, and no delivery can
# get in.  SIGTERM is what "doveadm kick" sends: the session ends without
# the UPDATE state, so nothing marked with DELE is expunged.
do_kick() {
    [ -f "$(pidfile)" ] || return 0
    master=$(cat "$(pidfile)")
    # A login still being handed over would start its pop3 process after
    # us: first let the login processes see their client is gone.
    i=0
    while pgrep -P "$master" -x pop3-login >/dev/null && [ $i -lt 600 ]; do
        sleep 0.05; i=$((i + 1))
    done
    pids=$(pgrep -P "$master" -x pop3) || return 0
    kill -TERM $pids 2>/dev/null || true
    for p in $pids; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 600 ]; do
            sleep 0.05; i=$((i + 1))
        done
        kill -9 "$p" 2>/dev/null || true   # read-locked only: nothing to lose
    done
}

# The mail user: ourselves, unless we are root (Dovecot never gives mail
# access to uid 0); then nobody.
mail_ids() {
    if [ "$(id -u)" -eq 0 ]; then
        muid=$(id -u nobody 2>/dev/null || echo 65534)
        mgid=$(id -g nobody 2>/dev/null || echo 65534)
    else
        muid=$(id -u) mgid=$(id -g)
    fi
}

# As root, the mail processes run as nobody and must be able to reach
# DIR.  Open the search (x) bit of our own private temporary directories
# on the way; anything else is an error with a clear message.
make_reachable() {
    d=$dir
    while [ "$d" != / ] && [ -n "$d" ]; do
        if ! runuser -u nobody -- test -x "$d" 2>/dev/null; then
            owner=$(stat -c %u "$d")
            case $d in
                "${TMPDIR:-/tmp}"/*|/tmp/*|/run/user/*|/var/tmp/*)
                    [ "$owner" -eq 0 ] && chmod o+x "$d" ;;
                *) die "$d is not reachable by user nobody; put DIR under /tmp" ;;
            esac
        fi
        d=$(dirname "$d")
    done
}

# Write DIR/dovecot.conf for $pop3_port/$pop3s_port and start Dovecot;
# non-zero when it did not start or does not answer.
write_conf_and_start() {
    if [ "$stls" = yes ]; then
        ssl="ssl = yes
ssl_cert = <$certs/$cname.pem
ssl_key = <$certs/$cname.key"
        pop3s_block="  inet_listener pop3s {
    address = 127.0.0.1
    port = $pop3s_port
    ssl = yes
  }"
    else
        ssl="ssl = no"
        pop3s_block="  inet_listener pop3s {
    port = 0
  }"
    fi

    cat > "$dir/dovecot.conf" <<CONF
# Written by tests/servers/dovecot.sh; a private POP3 server for tests.
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = pop3
listen = 127.0.0.1
$internal
$ssl
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 apop xoauth2 oauthbearer
auth_verbose = yes
auth_failure_delay = 0
mail_location = mbox:~/mail:INBOX=~/inbox
mail_max_userip_connections = 200
first_valid_uid = 1
first_valid_gid = 0
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=$muid gid=$mgid home=$dir/home/%u
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    address = 127.0.0.1
    port = $pop3_port
  }
$pop3s_block
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service submission-login {
  chroot =
}
CONF

    : >> "$dir/dovecot.log"
    # No inherited descriptors: a caller reading our output must see EOF.
    "$DOVECOT" -c "$dir/dovecot.conf" </dev/null >"$dir/start.log" 2>&1 || return 1
    ok=1
    "$PY" "$here/netutil.py" wait-port "$pop3_port" 30 || ok=0
    if [ "$stls" = yes ] && [ $ok -eq 1 ]; then
        "$PY" "$here/netutil.py" wait-port "$pop3s_port" 30 --tls || ok=0
    fi
    [ $ok -eq 1 ] || { do_stop; return 1; }
}

do_start() {
    cert=good certs= stls=yes users=
    while [ $# -gt 0 ]; do
        case $1 in
            --cert) cert=$2; shift 2 ;;
            --certs) certs=$2; shift 2 ;;
            --no-stls) stls=no; shift ;;
            --user) users="$users $2"; shift 2 ;;
            *) usage ;;
        esac
    done
    [ -n "$users" ] || users="alice:alice-pw-1 bob:bob-pw-2"
    case $cert in
        good) cname=localhost ;;
        wronghost|expired|selfsigned) cname=$cert ;;
        *) die "unknown --cert $cert" ;;
    esac
    is_running && die "already running in $dir"

    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # Dovecot's sockets live in DIR/run; a Unix socket path has at most
    # 107 bytes, and the longest name Dovecot uses there is about 25.
    [ ${#dir} -le 80 ] || die "$dir is too long for Dovecot's sockets (80 bytes at most)"
    mkdir -p "$dir/run" "$dir/state" "$dir/home"
    if [ -z "$certs" ]; then
        certs=$dir/certs
        [ -f "$certs/ca.pem" ] || "$here/mkcerts.sh" "$certs"
    fi
    certs=$(cd "$certs" && pwd)

    mail_ids
    me=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
        make_reachable
        internal="default_internal_user = dovecot
default_login_user = dovenull"
    else
        internal="default_internal_user = $me
default_internal_group = $(id -gn)
default_login_user = $me"
    fi

    # Users: passwd-file with PLAIN passwords so APOP and CRAM-MD5 work.
    : > "$dir/users"
    chmod 0600 "$dir/users"
    # As root the auth process runs as the internal user and reads it.
    [ "$(id -u)" -ne 0 ] || chown dovecot "$dir/users"
    first_user= first_pw=
    for up in $users; do
        u=${up%%:*} p=${up#*:}
        echo "$u:{PLAIN}$p" >> "$dir/users"
        [ -n "$first_user" ] || { first_user=$u; first_pw=$p; }
        mkdir -p "$dir/home/$u/mail"
        [ -e "$dir/home/$u/inbox" ] || : > "$dir/home/$u/inbox"
        chmod 0700 "$dir/home/$u" "$dir/home/$u/mail"
        chmod 0600 "$dir/home/$u/inbox"
        chown -R "$muid:$mgid" "$dir/home/$u"
    done

    # Keep the ports of an earlier start in DIR, so configs written for it
    # stay valid after a restart.
    pop3_port= pop3s_port= fixed=no
    if [ -f "$dir/dovecot.env" ]; then
        pop3_port=$(sed -n "s/^POP3_PORT='\(.*\)'/\1/p" "$dir/dovecot.env")
        pop3s_port=$(sed -n "s/^POP3S_PORT='\(.*\)'/\1/p" "$dir/dovecot.env")
    fi
    [ -n "$pop3_port" ] && [ -n "$pop3s_port" ] && fixed=yes

    # Dovecot cannot report a port it chose, so ports are chosen here and
    # another program may take one before Dovecot binds it: then start
    # again on other ports (a restart in DIR keeps its ports: no retry).
    attempt=0
    while :; do
        attempt=$((attempt + 1))
        if [ "$fixed" = no ]; then
            set -- $("$PY" "$here/netutil.py" free-ports 2)
            pop3_port=$1 pop3s_port=$2
        fi
        write_conf_and_start && break
        if [ "$fixed" = no ] && [ $attempt -lt 10 ] &&
           grep -q 'Address already in use' "$dir/start.log" "$dir/dovecot.log" 2>/dev/null; then
            : > "$dir/dovecot.log"
            continue
        fi
        cat "$dir/start.log" >&2
        tail -n 20 "$dir/dovecot.log" >&2
        die "dovecot did not start on 127.0.0.1:$pop3_port"
    done

    [ "$stls" = yes ] || pop3s_port=
    {
        echo "# Written by tests/servers/dovecot.sh start; source it."
        echo "DOVECOT_DIR=$(q "$dir")"
        echo "DOVECOT_CONF=$(q "$dir/dovecot.conf")"
        echo "DOVECOT_LOG=$(q "$dir/dovecot.log")"
        echo "POP3_HOST='localhost'"
        echo "POP3_PORT='$pop3_port'"
        echo "POP3S_PORT='$pop3s_port'"
        echo "POP3_STLS='$stls'"
        echo "POP3_CERT='$cert'"
        echo "CA_FILE=$(q "$certs/ca.pem")"
        echo "CERT_DIR=$(q "$certs")"
        echo "POP3_USER=$(q "$first_user")"
        echo "POP3_PASSWORD=$(q "$first_pw")"
        echo "POP3_USERS=$(q "$(echo $users)")"
        echo "POP3_MAILBOX=$(q "$dir/home/$first_user/inbox")"
    } > "$dir/dovecot.env.tmp"
    mv "$dir/dovecot.env.tmp" "$dir/dovecot.env"
}

do_add_mail() {
    user=
    if [ "${1:-}" = --user ]; then user=$2; shift 2; fi
    [ -f "$dir/users" ] || die "no server set up in $dir (run start first)"
    [ -n "$user" ] || user=$(sed -n '1s/:.*//p' "$dir/users")
    home=$dir/home/$user
    [ -d "$home" ] || die "no user $user in $dir"
    "$PY" "$here/mboxadd.py" "$home/inbox" --owner-of "$home" "$@"
}

case $cmd in
    start) do_start "$@" ;;
    stop) do_stop ;;
    add-mail) do_add_mail "$@" ;;
    kick) do_kick ;;
    log) cat "$dir/dovecot.log" ;;
    *) usage ;;
esac
