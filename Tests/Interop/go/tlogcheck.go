// tlogcheck runs Go's golang.org/x/mod/sumdb/note and sumdb/tlog (Debian golang-golang-x-mod-dev) on
// files that backpay-verify made, for the interoperability tests (Tests/TransparencyTests/GoInteropTests.swift):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run tlogcheck.go DIR
//
// DIR holds:
//   - log.vkey: the log's note verifier key (NAME+HEX8+BASE64)
//   - *.checkpoint: signed checkpoints, opened with note.Open and log.vkey
//   - witness.vkey and *.cosigned: checkpoints with a tlog-cosignature/v1 line, opened with note.Open and
//     a verifier for cosignatures (note has no type 0x04 verifier of its own; the message is the spec's)
//   - *.tlog-proof with *.leaf (the leaf's data): C2SP tlog-proof bundles (a member-day's, or `log prove
//     --release`'s for a log entry), checked with tlog.CheckRecord after note.Open of their checkpoint
//   - *.consistency with *.old (old checkpoint): "old N", hashes, empty line, new checkpoint; checked with
//     tlog.CheckTree
//   - *.tlog-proofs: a member's proof file (`release prove`), bundles back to back, the leaf hash taken
//     from each bundle's extra line (PANELIST DATE BASE64-LEAF-HASH); every bundle checked with
//     tlog.CheckRecord after note.Open of its checkpoint
//
// With a second argument VKEY (a file holding the verifier key), that key is used instead of DIR/log.vkey
// and no go.note is written: `tlogcheck PROOFS-DIR inputs.vkey` checks every member of a week.
//
// Files whose names start with "bad-" must be rejected. It prints one line per file and exits 1 if any
// file was not judged as expected. Last, it writes go.vkey and go.note: a note made by note.Sign, for
// the Swift side to verify.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// cosigVerifier verifies C2SP tlog-cosignature/v1 (Ed25519, type 0x04) signatures.
type cosigVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (v cosigVerifier) Name() string    { return v.name }
func (v cosigVerifier) KeyHash() uint32 { return v.hash }
func (v cosigVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	m := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), msg...)
	return ed25519.Verify(v.key, m, sig[8:])
}

func newCosigVerifier(vkey string) (note.Verifier, error) {
	parts := strings.Split(strings.TrimSpace(vkey), "+")
	if len(parts) != 3 {
		return nil, errors.New("malformed cosigner key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 0x04 {
		return nil, errors.New("not an Ed25519 cosigner key")
	}
	h := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	id := binary.BigEndian.Uint32(h[:4])
	if fmt.Sprintf("%08x", id) != parts[1] {
		return nil, errors.New("cosigner key hash mismatch")
	}
	return cosigVerifier{parts[0], id, ed25519.PublicKey(raw[1:])}, nil
}

// checkpoint reads size and root from a checkpoint's text.
func checkpoint(text string) (int64, tlog.Hash, error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 {
		return 0, tlog.Hash{}, errors.New("short checkpoint")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return 0, tlog.Hash{}, err
	}
	h, err := tlog.ParseHash(lines[2])
	return n, h, err
}

// hashes reads base64 hash lines up to the first empty line; returns them and the rest.
func hashes(lines []string) ([]tlog.Hash, string, error) {
	var out []tlog.Hash
	for i, l := range lines {
		if l == "" {
			return out, strings.Join(lines[i+1:], "\n"), nil
		}
		h, err := tlog.ParseHash(l)
		if err != nil {
			return nil, "", err
		}
		out = append(out, h)
	}
	return nil, "", errors.New("no empty line before the checkpoint")
}

// proofAndCheckpoint reads hash lines, an empty line and a checkpoint opened with note.Open.
func proofAndCheckpoint(lines []string, known note.Verifiers) ([]tlog.Hash, int64, tlog.Hash, string, error) {
	path, rest, err := hashes(lines)
	if err != nil {
		return nil, 0, tlog.Hash{}, "", err
	}
	n, err := note.Open([]byte(rest), known)
	if err != nil {
		return nil, 0, tlog.Hash{}, "", err
	}
	size, root, err := checkpoint(n.Text)
	return path, size, root, n.Text, err
}

func read(dir, name string) []byte {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		fmt.Println("FAIL", err)
		os.Exit(1)
	}
	return b
}

func main() {
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tlogcheck DIR [VKEY]")
		os.Exit(64)
	}
	dir := os.Args[1]
	vkeyFile := filepath.Join(dir, "log.vkey")
	if len(os.Args) == 3 {
		vkeyFile = os.Args[2]
	}
	vkeyText, err := os.ReadFile(vkeyFile)
	if err != nil {
		fmt.Println("FAIL", err)
		os.Exit(1)
	}
	logKey, err := note.NewVerifier(strings.TrimSpace(string(vkeyText)))
	if err != nil {
		fmt.Println("FAIL log.vkey:", err)
		os.Exit(1)
	}
	logOnly := note.VerifierList(logKey)
	names, _ := os.ReadDir(dir)
	var files []string
	for _, e := range names {
		files = append(files, e.Name())
	}
	sort.Strings(files)
	failed := false
	quietMembers := len(os.Args) == 3
	members, days := 0, 0
	judge := func(name string, err error) {
		bad := strings.HasPrefix(name, "bad-")
		switch {
		case err == nil && !bad:
			fmt.Println("ok", name)
		case err != nil && bad:
			fmt.Println("ok", name, "rejected:", err)
		case err == nil && bad:
			fmt.Println("FAIL", name, "was accepted")
			failed = true
		default:
			fmt.Println("FAIL", name, err)
			failed = true
		}
	}
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, ".checkpoint"):
			_, err := note.Open(read(dir, f), logOnly)
			judge(f, err)
		case strings.HasSuffix(f, ".cosigned"):
			w, err := newCosigVerifier(string(read(dir, "witness.vkey")))
			if err == nil {
				var n *note.Note
				n, err = note.Open(read(dir, f), note.VerifierList(logKey, w))
				if err == nil && len(n.Sigs) != 2 {
					err = fmt.Errorf("%d verified signatures, want the log's and the witness's", len(n.Sigs))
				}
			}
			judge(f, err)
		case strings.HasSuffix(f, ".tlog-proof"):
			judge(f, checkProof(read(dir, f), read(dir, strings.TrimSuffix(f, ".tlog-proof")+".leaf"), logOnly))
		case strings.HasSuffix(f, ".tlog-proofs"):
			n, err := checkMemberProofs(read(dir, f), logOnly)
			if quietMembers && err == nil {
				members++
				days += n
			} else {
				judge(f, err)
			}
		case strings.HasSuffix(f, ".consistency"):
			judge(f, checkConsistency(read(dir, f), read(dir, strings.TrimSuffix(f, ".consistency")+".old"), logOnly))
		}
	}
	if quietMembers {
		fmt.Println("ok", members, "member proof files,", days, "days, each checked with tlog.CheckRecord")
		if failed {
			os.Exit(1)
		}
		return
	}
	// A note signed by Go, for us to verify.
	skey, vkey, err := note.GenerateKey(rand.Reader, "go.example/interop")
	if err == nil {
		var signer note.Signer
		if signer, err = note.NewSigner(skey); err == nil {
			var msg []byte
			if msg, err = note.Sign(&note.Note{Text: "go.example/interop\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"}, signer); err == nil {
				err = os.WriteFile(filepath.Join(dir, "go.note"), msg, 0o644)
				if err == nil {
					err = os.WriteFile(filepath.Join(dir, "go.vkey"), []byte(vkey+"\n"), 0o644)
				}
			}
		}
	}
	if err != nil {
		fmt.Println("FAIL go.note:", err)
		failed = true
	}
	if failed {
		os.Exit(1)
	}
}

func checkProof(proof, leaf []byte, known note.Verifiers) error {
	return checkProofHash(proof, tlog.RecordHash(leaf), known)
}

func checkProofHash(proof []byte, leafHash tlog.Hash, known note.Verifiers) error {
	lines := strings.Split(string(proof), "\n")
	if len(lines) < 3 || lines[0] != "c2sp.org/tlog-proof@v1" {
		return errors.New("not a tlog-proof@v1")
	}
	i := 1
	if strings.HasPrefix(lines[i], "extra ") {
		i++
	}
	if !strings.HasPrefix(lines[i], "index ") {
		return errors.New("no index line")
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(lines[i], "index "), 10, 64)
	if err != nil {
		return err
	}
	path, size, root, _, err := proofAndCheckpoint(lines[i+1:], known)
	if err != nil {
		return err
	}
	return tlog.CheckRecord(tlog.RecordProof(path), size, root, index, leafHash)
}

func checkConsistency(body, old []byte, known note.Verifiers) error {
	o, err := note.Open(old, known)
	if err != nil {
		return err
	}
	oldSize, oldRoot, err := checkpoint(o.Text)
	if err != nil {
		return err
	}
	lines := strings.Split(string(body), "\n")
	if !strings.HasPrefix(lines[0], "old ") || lines[0] != fmt.Sprintf("old %d", oldSize) {
		return errors.New("first line is not old SIZE of the old checkpoint")
	}
	path, size, root, text, err := proofAndCheckpoint(lines[1:], known)
	if err != nil {
		return err
	}
	if text == o.Text {
		return nil
	}
	return tlog.CheckTree(tlog.TreeProof(path), size, root, oldSize, oldRoot)
}

// checkMemberProofs checks every bundle of a member's proof file; returns how many.
func checkMemberProofs(file []byte, known note.Verifiers) (int, error) {
	head := "c2sp.org/tlog-proof@v1\n"
	parts := strings.Split(string(file), head)
	if len(parts) < 2 || parts[0] != "" {
		return 0, errors.New("does not start with c2sp.org/tlog-proof@v1")
	}
	for _, p := range parts[1:] {
		lines := strings.SplitN(p, "\n", 2)
		if !strings.HasPrefix(lines[0], "extra ") {
			return 0, errors.New("no extra line")
		}
		extra, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[0], "extra "))
		if err != nil {
			return 0, err
		}
		fields := strings.Split(string(extra), " ")
		if len(fields) != 3 {
			return 0, errors.New("extra is not PANELIST DATE LEAFHASH")
		}
		leaf, err := tlog.ParseHash(fields[2])
		if err != nil {
			return 0, err
		}
		if err := checkProofHash([]byte(head+p), leaf, known); err != nil {
			return 0, fmt.Errorf("%s %s: %v", fields[0], fields[1], err)
		}
	}
	return len(parts) - 1, nil
}
