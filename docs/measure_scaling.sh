#!/bin/bash
# The measurements of docs/scaling.md ("a million-row SIPRI listing
# against pandas"), in one run, for that note only (CI runs none of it).
#
#   docs/measure_scaling.sh ARMSDASH LISTING.csv REGISTER.csv [PORT]
#
# ARMSDASH is a built armsdash binary, LISTING.csv a synthetic listing
# (go run ./data/internal/listinggen/cmd/listinggen), REGISTER.csv the
# real trade register in ../shared/data. Needs GNU time, bc, curl and
# Debian's python3-pandas. Cold pages: BenchmarkListing in data/storetest.
set -eu
bin=$1 listing=$2 register=$3 port=${4:-55676}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
here=$(dirname "$0")
db=$dir/listing.db
run() { # NAME COMMAND...: wall, user, system seconds and peak RSS (KB) of COMMAND
	local name=$1; shift
	/usr/bin/time -o "$dir/$name" -f "%e %U %S %M" "$@" >/dev/null
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run import "$bin" import -max-size 1000000000 -db "$db" "$listing"
run share "$bin" share -db "$db" -supplier China -recipient Pakistan -from 2015 -to 2024
run pandas /usr/bin/python3 "$here/pandas_share.py" "$listing" China Pakistan 2015 2024
run register "$bin" import -db "$dir/register.db" "$register"
read -r ie iu is im <"$dir/import"; read -r se su ss sm <"$dir/share"
read -r pe pu ps pm <"$dir/pandas"; read -r re ru rs rm <"$dir/register"
ratio() { echo "scale=3; $1" | bc; }
echo "import: ${ie}s (${iu}u ${is}s), peak RSS ${im} KB = $(ratio "$im*1024/$(stat -c %s "$listing")")x the file"
echo "share: ${se}s (${su}u ${ss}s); pandas: ${pe}s (${pu}u ${ps}s)"
echo "import+share / pandas: $(ratio "($ie+$se)/$pe") wall, $(ratio "($iu+$is+$su+$ss)/($pu+$ps)") CPU"
echo "share / pandas: $(ratio "$se/$pe") wall, $(ratio "($su+$ss)/($pu+$ps)") CPU"
echo "register import: ${re}s, peak RSS ${rm} KB = $(ratio "$rm*1024/$(stat -c %s "$register")")x the file"
# Start: from exec to listening (the log's clock) and to the first /dyad.
start=$(date +%s.%N)
"$bin" -db "$db" -addr 127.0.0.1:"$port" -follow 0 2>"$dir/log" &
pid=$!
until grep -q listening "$dir/log"; do sleep 0.005; done
curl -sf -o /dev/null "http://127.0.0.1:$port/dyad"
first=$(date +%s.%N)
kill "$pid"; wait "$pid" 2>/dev/null || true
listening=$(date -d "$(grep listening "$dir/log" | sed 's/^time=\([^ ]*\).*/\1/')" +%s.%N)
echo "start: listening after $(ratio "$listening-$start")s, first /dyad after $(ratio "$first-$start")s"
"$bin" loadtest -db "$db" -c 50 -n 5000 -duration 10s | grep -E "static|dyad page"
