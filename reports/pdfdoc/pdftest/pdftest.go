// Package pdftest reads PDFs back as text in tests, with pdftotext from
// Debian's poppler-utils package. Without pdftotext a test is skipped with
// the reason, unless CI=true, where it fails: CI must install poppler-utils.
package pdftest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Text returns the text of every page of pdf, in reading layout, pages
// separated by form feeds.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install Debian's poppler-utils (apt-get install -y poppler-utils)")
		}
		t.Skip("pdftotext not found; install poppler-utils to read PDFs back (this fails when CI=true)")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return out.String()
}

// Info returns pdfinfo's fields ("Title", "Author", "Pages" ...), or skips
// like Text when poppler-utils is missing.
func Info(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdfinfo not found: install Debian's poppler-utils (apt-get install -y poppler-utils)")
		}
		t.Skip("pdfinfo not found; install poppler-utils to read PDFs back (this fails when CI=true)")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, out)
	}
	fields := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			fields[k] = strings.TrimSpace(v)
		}
	}
	return fields
}

// StructText returns the structure tree as pdfinfo -struct-text prints it:
// each element's type, indented under its parent, with its text.
func StructText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdfinfo not found: install Debian's poppler-utils (apt-get install -y poppler-utils)")
		}
		t.Skip("pdfinfo not found; install poppler-utils to read PDFs back (this fails when CI=true)")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-struct-text", "-enc", "UTF-8", in).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo -struct-text: %v: %s", err, out)
	}
	return string(out)
}

// walkScript prints a PDF's structure tree with pikepdf, a reader
// independent of poppler: one line per element, indented by depth, with
// its /Alt; then "unmarked=N", the drawing operators (text, paths,
// images) outside any marked content or artefact. It fails unless
// /MarkInfo says Marked, and unless every page has a /StructParents entry
// whose parent tree array holds an element for each MCID marked on it.
const walkScript = `
import sys, re, pikepdf
pdf = pikepdf.open(sys.argv[1])
root = pdf.Root
assert bool(root.MarkInfo.Marked), "MarkInfo Marked is not true"
print("Lang=" + str(root.Lang))
print("DisplayDocTitle=" + str(bool(root.ViewerPreferences.DisplayDocTitle)))
def walk(e, depth):
    line = "  " * depth + str(e.S).lstrip("/")
    if "/Alt" in e:
        line += " alt=" + str(e.Alt)
    print(line)
    k = e.get("/K")
    kids = [] if k is None else (list(k) if isinstance(k, pikepdf.Array) else [k])
    for c in kids:
        if isinstance(c, pikepdf.Dictionary) and "/S" in c:
            walk(c, depth + 1)
for top in root.StructTreeRoot.K:
    walk(top, 0)
nums = root.StructTreeRoot.ParentTree.Nums
tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
for i, page in enumerate(pdf.pages):
    marked = set(int(m) for m in re.findall(rb"/MCID (\d+)>> BDC", page.obj.Contents.read_bytes()))
    owners = tree[int(page.obj.StructParents)]
    assert marked == set(range(len(owners))), "page %d: MCIDs %s, parent tree %d" % (i + 1, sorted(marked), len(owners))
unmarked = 0
for page in pdf.pages:
    depth = 0
    for operands, op in pikepdf.parse_content_stream(page):
        o = str(op)
        if o in ("BDC", "BMC"):
            depth += 1
        elif o == "EMC":
            depth -= 1
        elif depth == 0 and o in ("Tj", "TJ", "'", '"', "f", "f*", "F", "S", "s", "B", "B*", "b", "b*", "Do", "sh"):
            unmarked += 1
print("unmarked=%d" % unmarked)
print("pages=%d" % len(pdf.pages))
`

// Structure walks pdf's structure tree with Debian's python3-pikepdf (a
// second reader beside poppler) and returns walkScript's lines. Without
// python3 and pikepdf the test is skipped, unless CI=true.
func Structure(t testing.TB, pdf []byte) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import pikepdf").Run()
	}
	if err != nil {
		// A pyenv shim may hide Debian's python3, which has the package.
		if exec.Command("/usr/bin/python3", "-c", "import pikepdf").Run() == nil {
			py, err = "/usr/bin/python3", nil
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 with pikepdf not found: install Debian's python3-pikepdf")
		}
		t.Skip("python3 with pikepdf not found; install python3-pikepdf to walk the structure tree (this fails when CI=true)")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", walkScript, in).CombinedOutput()
	if err != nil {
		t.Fatalf("pikepdf walk: %v: %s", err, out)
	}
	return string(out)
}
