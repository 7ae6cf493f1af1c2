#!/bin/sh
# A private Postfix for the send tests: its own configuration, queue and
# log under DIR, listening on 127.0.0.1 only, delivering every message it
# accepts to a file DIR/out/QUEUEID.eml (nothing leaves the machine).
# Queue IDs are the long kind: Postfix's default short ID is the queue
# file's inode number plus the microseconds of its creation, which repeats
# once the inode is reused (a soak of 4,000 messages reuses ~190 inodes),
# and a repeated ID would overwrite an earlier message's file.  The sink
# also refuses to overwrite (dd conv=excl): a clash bounces, logged.
#
#   postfix.sh start DIR CERTDIR    CERTDIR from tests/servers/mkcerts.sh
#   postfix.sh stop DIR
#
# start writes DIR/postfix.env (shell syntax): PF_PORT (plain SMTP with
# STARTTLS offered), PF_SMTPS_PORT (implicit TLS), PF_SMALL_PORT (STARTTLS,
# message_size_limit 20000), PF_OUT, PF_LOG.  Postfix offers PIPELINING,
# CHUNKING, SIZE and 8BITMIME; no AUTH (mynetworks allow relaying).
#
# Postfix's master runs only as root: without root, start exits 77 with
# the reason on standard error (tests skip then).
set -eu
PATH=$PATH:/usr/sbin:/sbin

die() { echo "postfix.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: postfix.sh start DIR CERTDIR | stop DIR"
cmd=$1 dir=$2
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

if [ "$cmd" = stop ]; then
    [ -f "$dir/etc/main.cf" ] || exit 0
    postfix -c "$dir/etc" stop >/dev/null 2>&1 || true
    # postfix stop returns before master is gone: wait for its pid file.
    i=0
    while [ -s "$dir/spool/pid/master.pid" ] &&
          kill -0 "$(tr -d ' ' < "$dir/spool/pid/master.pid")" 2>/dev/null &&
          [ $i -lt 200 ]; do
        sleep 0.05; i=$((i + 1))
    done
    exit 0
fi
[ "$cmd" = start ] || die "unknown command $cmd"
certs=${3:?postfix.sh start needs CERTDIR}

if [ "$(id -u)" -ne 0 ]; then
    echo "postfix.sh: Postfix's master process only runs as root" >&2
    exit 77
fi
command -v postfix >/dev/null 2>&1 ||
    { echo "postfix.sh: postfix is not installed (contrib/install-deps)" >&2; exit 77; }

mkdir -p "$dir/etc" "$dir/spool" "$dir/data" "$dir/out"
# The postfix user must reach the queue and the delivery agent (nobody)
# the output folder, through every parent folder.
d=$dir
while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
chown postfix "$dir/data"
chown nobody "$dir/out"
port=$(free_port) sport=$(free_port) small=$(free_port)

cat > "$dir/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
myhostname = localhost
mydomain = localdomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
default_transport = sink
relay_transport = sink
alias_maps =
alias_database =
local_recipient_maps =
smtpd_tls_cert_file = $certs/localhost.pem
smtpd_tls_key_file = $certs/localhost.key
smtpd_tls_security_level = may
smtpd_tls_session_cache_database =
smtpd_tls_received_header = no
message_size_limit = 50000000
smtputf8_enable = no
biff = no
default_process_limit = 20
in_flow_delay = 0
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 2000
queue_run_delay = 1s
enable_long_queue_ids = yes
EOF
# The stock services, none chrooted, without the system's port 25.
awk '
  /^#/ || /^[ \t]*$/ { next }
  /^[ \t]/ { if (keep) print; next }
  { keep = ($2 != "inet"); if (keep) { $5 = "n"; print } }
' /etc/postfix/master.cf > "$dir/etc/master.cf"
cat >> "$dir/etc/master.cf" <<EOF
127.0.0.1:$port inet n - n - - smtpd
127.0.0.1:$sport inet n - n - - smtpd -o smtpd_tls_wrappermode=yes
127.0.0.1:$small inet n - n - - smtpd -o message_size_limit=20000
sink unix - n n - 10 pipe flags=F user=nobody argv=/bin/dd of=$dir/out/\${queue_id}.eml conv=excl status=none
EOF
cp /etc/postfix/dynamicmaps.cf "$dir/etc/" 2>/dev/null || true

postfix -c "$dir/etc" check >"$dir/check.log" 2>&1 || { cat "$dir/check.log" >&2; die "postfix check failed"; }
postfix -c "$dir/etc" start >"$dir/start.log" 2>&1 ||
    { cat "$dir/start.log" "$dir/postfix.log" >&2 2>/dev/null; die "postfix did not start"; }
# Ready when the smtpd ports answer.
for p in $port $sport $small; do
    i=0
    until /usr/bin/python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$p" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 200 ] || die "postfix is not listening on $p"
        sleep 0.05
    done
done
cat > "$dir/postfix.env" <<EOF
PF_PORT='$port'
PF_SMTPS_PORT='$sport'
PF_SMALL_PORT='$small'
PF_OUT='$dir/out'
PF_LOG='$dir/postfix.log'
EOF
