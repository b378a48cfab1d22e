# Reads one JSON document and prints each string value as PATH<TAB>RAW<TAB>PLAIN<TAB>TEXT: PATH names it
# (hostname, wifi.ssid, settings.location, ssh.authorizedKeys.0), RAW is the string as written between
# its quotes (escapes kept, so it can be written into JSON again), PLAIN is 1 when its only escapes are
# \" \\ \/ and TEXT is then the string itself (else PLAIN is 0 and TEXT empty). Numbers, true, false and
# null are checked and left out. Prints nothing and exits 1 when the document is not well-formed JSON.
{ doc = doc $0 "\n" }
END {
  pos = 1; len = length(doc); out = ""; fail = 0; depth = 0
  ws(); value("")
  if (fail) exit 1
  ws()
  if (pos <= len) exit 1
  printf "%s", out
}
function ws(  c) {
  while (pos <= len) {
    c = substr(doc, pos, 1)
    if (c != " " && c != "\t" && c != "\n" && c != "\r") return
    pos++
  }
}
function value(path,  c, s) {
  if (fail) return
  c = substr(doc, pos, 1)
  if (c == "{") object(path)
  else if (c == "[") array(path)
  else if (c == "\"") { s = string(); if (!fail) out = out path "\t" s "\t" plain(s) "\n" }
  else literal()
}
function object(path,  key, c) {
  if (++depth > 8) { fail = 1; return }
  pos++; ws()
  if (substr(doc, pos, 1) == "}") { pos++; depth--; return }
  while (!fail) {
    ws()
    if (substr(doc, pos, 1) != "\"") { fail = 1; return }
    key = string()
    if (fail || key !~ /^[A-Za-z0-9_-]+$/) { fail = 1; return }
    ws()
    if (substr(doc, pos, 1) != ":") { fail = 1; return }
    pos++; ws()
    value(path == "" ? key : path "." key)
    ws()
    c = substr(doc, pos, 1); pos++
    if (c == "}") { depth--; return }
    if (c != ",") fail = 1
  }
}
function array(path,  i, c) {
  if (++depth > 8) { fail = 1; return }
  pos++; ws()
  if (substr(doc, pos, 1) == "]") { pos++; depth--; return }
  for (i = 0; !fail; i++) {
    ws(); value(path "." i); ws()
    c = substr(doc, pos, 1); pos++
    if (c == "]") { depth--; return }
    if (c != ",") fail = 1
  }
}
function string(  start, c) {
  start = ++pos
  while (pos <= len) {
    c = substr(doc, pos, 1)
    if (c == "\"") { pos++; return substr(doc, start, pos - start - 1) }
    if (c < " ") break
    if (c == "\\") {
      c = substr(doc, pos + 1, 1)
      if (c == "u") {
        if (substr(doc, pos + 2, 4) !~ /^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/) break
        pos += 4
      } else if (c == "" || index("\"\\/bfnrt", c) == 0) break
      pos++
    }
    pos++
  }
  fail = 1
  return ""
}
function plain(s,  text, i, c) {
  text = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\\") {
      c = substr(s, ++i, 1)
      if (c != "\"" && c != "\\" && c != "/") return "0\t"
    }
    text = text c
  }
  return "1\t" text
}
function literal(  rest) {
  rest = substr(doc, pos, 40)
  if (match(rest, /^(true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)/)) pos += RLENGTH
  else fail = 1
}
