package frameworks

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits that keep a hostile or mistaken file from exhausting memory.
const (
	MaxFileBytes = 2 << 20 // a whole edition is well under 200 KiB
	MaxFiles     = 200
	maxNodes     = 200_000
)

//go:embed data/*.yaml
var builtinFS embed.FS

// Source is a folder of framework files and the name shown in messages.
type Source struct {
	Name string // e.g. "frameworks/data" or the override folder's path
	FS   fs.FS
	own  bool // the toolkit's own files, embedded in the binary
}

// Builtin is the source of the editions embedded in the binary.
func Builtin() Source {
	sub, _ := fs.Sub(builtinFS, "data")
	return Source{Name: "frameworks/data", FS: sub, own: true}
}

// Dir is the source of a folder on disk, such as FRAMEWORKS_DIR.
func Dir(dir string) Source {
	return Source{Name: dir, FS: os.DirFS(dir)}
}

// Edition is one loaded file: a framework edition, a crosswalk or a risk model.
type Edition struct {
	Kind    string
	Key     string
	Version string
	Title   string
	Status  string
	SHA256  string
	File    string
	// ToolkitOwn says the wording is the toolkit team's own (a file
	// embedded in the binary), not an official licensed edition loaded
	// from FRAMEWORKS_DIR.
	ToolkitOwn bool

	Framework     *Framework
	Crosswalk     *Crosswalk
	RiskModel     *RiskModel
	WelfarePolicy *WelfarePolicy
}

// Set is every edition loaded, valid and cross-checked.
type Set struct {
	Editions []*Edition // ordered by kind, key, version
}

// Edition returns the edition with this key and version, or nil.
func (s *Set) Edition(key, version string) *Edition {
	for _, e := range s.Editions {
		if e.Key == key && e.Version == version {
			return e
		}
	}
	return nil
}

// Framework returns the framework edition with this key and version, or nil.
func (s *Set) Framework(key, version string) *Framework {
	if e := s.Edition(key, version); e != nil {
		return e.Framework
	}
	return nil
}

// WelfarePolicy returns the newest OK9 welfare policy loaded, or nil.
func (s *Set) WelfarePolicy() *WelfarePolicy {
	if cur := s.CurrentWelfarePolicy(); cur != nil {
		return cur.WelfarePolicy
	}
	return nil
}

// CurrentWelfarePolicy returns the edition of the newest OK9 welfare policy
// loaded, or nil.
func (s *Set) CurrentWelfarePolicy() *Edition {
	var cur *Edition
	for _, e := range s.Editions {
		if e.WelfarePolicy != nil && (cur == nil || e.Version > cur.Version) {
			cur = e
		}
	}
	return cur
}

// CurrentRiskModel returns the edition of the newest psychological risk
// model loaded, or nil; new role assessments are made under it.
func (s *Set) CurrentRiskModel() *Edition {
	var cur *Edition
	for _, e := range s.Editions {
		if e.RiskModel != nil && (cur == nil || e.Version > cur.Version) {
			cur = e
		}
	}
	return cur
}

// EditionTitle names an edition for people, e.g. "Blue Light Wellbeing
// Framework 2.0"; an edition not loaded is named by key and version.
func (s *Set) EditionTitle(key, version string) string {
	if e := s.Edition(key, version); e != nil {
		return e.Title + " " + e.Version
	}
	return key + " " + version
}

// ContentNotice is the short notice every page, PDF and workbook that shows
// this edition's wording prints when the wording is the toolkit's own, with
// the edition's name; "" for an edition loaded from elsewhere (a nil
// edition has none either).
func (e *Edition) ContentNotice() string {
	if e == nil || !e.ToolkitOwn {
		return ""
	}
	return e.Title + " " + e.Version + ": toolkit demonstration content, not the official licensed wording."
}

// ContentNotices are the notices of the editions named (key and version in
// pairs), each once, in the order given, leaving out editions with none.
func (s *Set) ContentNotices(keyVersions ...string) []string {
	var out []string
	for i := 0; i+1 < len(keyVersions); i += 2 {
		if n := s.Edition(keyVersions[i], keyVersions[i+1]).ContentNotice(); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// RiskModel returns the risk model with this key and version, or nil.
func (s *Set) RiskModel(key, version string) *RiskModel {
	if e := s.Edition(key, version); e != nil {
		return e.RiskModel
	}
	return nil
}

// Problem is one thing wrong with a framework file, with where it is.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is every problem found in one load; it is the error Load returns.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s) in the framework files:\n%s", len(ps), strings.Join(lines, "\n"))
}

// Load reads the built-in editions and then each extra source (for example
// the FRAMEWORKS_DIR override folder), validates everything, and returns the
// set or every problem found.
func Load(extra ...Source) (*Set, error) {
	return LoadSources(append([]Source{Builtin()}, extra...)...)
}

// LoadSources reads and validates the given sources only.
func LoadSources(sources ...Source) (*Set, error) {
	var files []*parsedFile
	var problems Problems
	for _, src := range sources {
		fs, ps := readSource(src)
		files = append(files, fs...)
		problems = append(problems, ps...)
	}
	set, ps := assemble(files)
	problems = append(problems, ps...)
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool {
			if problems[i].File != problems[j].File {
				return problems[i].File < problems[j].File
			}
			return problems[i].Line < problems[j].Line
		})
		return nil, problems
	}
	return set, nil
}

// parsedFile is a decoded file with the positions of its nodes, kept so that
// checks across files can still point at a line.
type parsedFile struct {
	edition *Edition
	check   *checker
}

func readSource(src Source) ([]*parsedFile, Problems) {
	entries, err := fs.ReadDir(src.FS, ".")
	if err != nil {
		return nil, Problems{{File: src.Name, Message: fmt.Sprintf("cannot read folder: %v", err)}}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, Problems{{File: src.Name, Message: "no .yaml files found"}}
	}
	if len(names) > MaxFiles {
		return nil, Problems{{File: src.Name, Message: fmt.Sprintf("%d files is more than the %d allowed", len(names), MaxFiles)}}
	}
	var files []*parsedFile
	var problems Problems
	for _, name := range names {
		display := path.Join(src.Name, name)
		data, err := readLimited(src.FS, name)
		if err != nil {
			problems = append(problems, Problem{File: display, Message: err.Error()})
			continue
		}
		pf, ps := parseFile(display, data)
		problems = append(problems, ps...)
		if pf != nil {
			pf.edition.ToolkitOwn = src.own
			files = append(files, pf)
		}
	}
	return files, problems
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot open: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("file is larger than %d bytes", MaxFileBytes)
	}
	return data, nil
}

// parseFile decodes one file strictly and runs the checks that need only
// that file. It returns nil when the file could not be decoded at all.
func parseFile(file string, data []byte) (*parsedFile, Problems) {
	c := &checker{file: file, lines: map[string]int{}}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			c.add(1, "file is empty")
		} else {
			c.yamlError(err)
		}
		return nil, c.problems
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line
		}
		c.add(line, "a framework file holds one YAML document; found another")
		return nil, c.problems
	}
	if !c.walk(&root) {
		return nil, c.problems
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		c.add(doc.Line, "the file must be a mapping with kind, key and version at the top")
		return nil, c.problems
	}

	kind := ""
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "kind" {
			kind = doc.Content[i+1].Value
		}
	}
	ed := &Edition{File: file, Kind: kind}
	sum := sha256.Sum256(data)
	ed.SHA256 = hex.EncodeToString(sum[:])

	var target any
	switch kind {
	case KindFramework:
		ed.Framework = &Framework{}
		target = ed.Framework
	case KindCrosswalk:
		ed.Crosswalk = &Crosswalk{}
		target = ed.Crosswalk
	case KindRiskModel:
		ed.RiskModel = &RiskModel{}
		target = ed.RiskModel
	case KindWelfarePolicy:
		ed.WelfarePolicy = &WelfarePolicy{}
		target = ed.WelfarePolicy
	case "":
		c.add(doc.Line, fmt.Sprintf("missing kind: say which kind of file this is (%s, %s, %s or %s)", KindFramework, KindCrosswalk, KindRiskModel, KindWelfarePolicy))
		return nil, c.problems
	default:
		c.at("kind", "unknown kind %q: expected %s, %s, %s or %s", kind, KindFramework, KindCrosswalk, KindRiskModel, KindWelfarePolicy)
		return nil, c.problems
	}

	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(target); err != nil {
		c.yamlError(err) // type errors leave the rest decoded, so keep checking
	}

	switch kind {
	case KindFramework:
		f := ed.Framework
		ed.Key, ed.Version, ed.Title, ed.Status = f.Key, f.Version, f.Title, f.Status
		c.checkFramework(f)
	case KindCrosswalk:
		x := ed.Crosswalk
		ed.Key, ed.Version, ed.Title, ed.Status = x.Key, x.Version, x.Title, x.Status
		c.checkCrosswalkShape(x)
	case KindRiskModel:
		m := ed.RiskModel
		ed.Key, ed.Version, ed.Title, ed.Status = m.Key, m.Version, m.Title, m.Status
		c.checkRiskModel(m)
	case KindWelfarePolicy:
		w := ed.WelfarePolicy
		ed.Key, ed.Version, ed.Title, ed.Status = w.Key, w.Version, w.Title, w.Status
		c.checkWelfarePolicy(w)
	}
	return &parsedFile{edition: ed, check: c}, c.problems
}

// assemble checks what spans files (duplicate editions, crosswalk references)
// and builds the set.
func assemble(files []*parsedFile) (*Set, Problems) {
	var problems Problems
	byKey := map[string]*parsedFile{}
	set := &Set{}
	for _, pf := range files {
		ed := pf.edition
		id := ed.Key + "\x00" + ed.Version
		if prev, ok := byKey[id]; ok {
			if prev.edition.Kind != ed.Kind || prev.edition.SHA256 != ed.SHA256 {
				problems = append(problems, pf.check.problemAt("version", "%s %s is already defined in %s with different content; give this edition a new version", ed.Key, ed.Version, prev.edition.File))
			}
			continue // an identical copy (e.g. the override folder repeats a built-in file) is harmless
		}
		byKey[id] = pf
		set.Editions = append(set.Editions, ed)
	}
	kindOfKey := map[string]*Edition{}
	for _, ed := range set.Editions {
		if other, ok := kindOfKey[ed.Key]; ok && other.Kind != ed.Kind {
			pf := byKey[ed.Key+"\x00"+ed.Version]
			problems = append(problems, pf.check.problemAt("key", "key %q is already used by a %s in %s; each key belongs to one kind of file", ed.Key, other.Kind, other.File))
			continue
		}
		kindOfKey[ed.Key] = ed
	}
	for _, ed := range set.Editions {
		if ed.Crosswalk == nil {
			continue
		}
		c := byKey[ed.Key+"\x00"+ed.Version].check
		before := len(c.problems)
		c.checkCrosswalkLinks(ed.Crosswalk, set)
		problems = append(problems, c.problems[before:]...)
	}
	sort.Slice(set.Editions, func(i, j int) bool {
		a, b := set.Editions[i], set.Editions[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Version < b.Version
	})
	return set, problems
}

// checker collects the problems of one file and knows the line of every node,
// addressed by a path such as "areas[2].standards[0].id".
type checker struct {
	file     string
	lines    map[string]int
	problems Problems
}

func (c *checker) add(line int, msg string) {
	c.problems = append(c.problems, Problem{File: c.file, Line: line, Message: msg})
}

// at records a problem at the node named by path, or at its nearest parent
// that exists in the file.
func (c *checker) at(p string, format string, args ...any) {
	c.problems = append(c.problems, c.problemAt(p, format, args...))
}

func (c *checker) problemAt(p string, format string, args ...any) Problem {
	return Problem{File: c.file, Line: c.line(p), Message: fmt.Sprintf(format, args...)}
}

func (c *checker) line(p string) int {
	for p != "" {
		if l, ok := c.lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 1
}

// walk indexes node lines by path and refuses aliases, which framework files
// never need and which make a small file expand without bound.
func (c *checker) walk(root *yaml.Node) bool {
	count := 0
	ok := true
	var visit func(n *yaml.Node, p string)
	visit = func(n *yaml.Node, p string) {
		count++
		if count > maxNodes {
			if ok {
				c.add(n.Line, fmt.Sprintf("file has more than %d YAML nodes", maxNodes))
			}
			ok = false
			return
		}
		if n.Kind == yaml.AliasNode {
			c.add(n.Line, fmt.Sprintf("YAML alias *%s is not allowed in framework files: write the value out", n.Value))
			ok = false
			return
		}
		if _, seen := c.lines[p]; !seen {
			c.lines[p] = n.Line
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, ch := range n.Content {
				visit(ch, p)
			}
		case yaml.SequenceNode:
			for i, ch := range n.Content {
				visit(ch, fmt.Sprintf("%s[%d]", p, i))
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if k == "<<" {
					c.add(n.Content[i].Line, "YAML merge keys (<<) are not allowed in framework files")
					ok = false
				}
				child := k
				if p != "" {
					child = p + "." + k
				}
				// Point at the key's line: for a block list or mapping the
				// value starts on the next line, which reads oddly.
				if _, seen := c.lines[child]; !seen {
					c.lines[child] = n.Content[i].Line
				}
				visit(n.Content[i+1], child)
			}
		}
	}
	visit(root, "")
	return ok
}

var (
	reYAMLLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	reUnknownField = regexp.MustCompile(`^field (\S+) not found in type frameworks\.(\w+)$`)
	reWrongType    = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
)

// yamlError turns the YAML library's errors into problems with lines and
// wording a content editor can act on.
func (c *checker) yamlError(err error) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		line := 1
		if sub := reYAMLLine.FindStringSubmatch(m); sub != nil {
			line, _ = strconv.Atoi(sub[1])
			m = sub[2]
			// The YAML library counts lines from 0 for parser (not scanner)
			// errors; these are the parser's messages.
			if strings.HasPrefix(m, "did not find expected") {
				line++
			}
		}
		m = strings.TrimPrefix(m, "yaml: ")
		if sub := reUnknownField.FindStringSubmatch(m); sub != nil {
			m = fmt.Sprintf("unknown field %q in %s", sub[1], typeNoun(sub[2]))
		} else if sub := reWrongType.FindStringSubmatch(m); sub != nil {
			m = fmt.Sprintf("wrong type: expected %s, found %s", goTypeNoun(sub[3]), yamlTagNoun(sub[1]))
			if sub[2] != "" {
				m += fmt.Sprintf(" %q", sub[2])
			}
		}
		c.add(line, m)
	}
}

func typeNoun(goType string) string {
	words := regexp.MustCompile(`[A-Z][a-z0-9]*`).FindAllString(goType, -1)
	return "a " + strings.ToLower(strings.Join(words, " "))
}

func goTypeNoun(t string) string {
	switch {
	case t == "int" || strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	case t == "string":
		return "text"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	default:
		return "a mapping"
	}
}

func yamlTagNoun(tag string) string {
	switch tag {
	case "str":
		return "text"
	case "int", "float":
		return "a number"
	case "bool":
		return "a boolean"
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	default:
		return tag
	}
}

// Counts summarises the size of an edition, for listings.
func (e *Edition) Counts() map[string]int {
	switch {
	case e.Framework != nil:
		return map[string]int{"areas": len(e.Framework.Areas), "standards": len(e.Framework.Standards()), "levels": len(e.Framework.Scale)}
	case e.Crosswalk != nil:
		x := e.Crosswalk
		if len(x.Hazards)+len(x.Controls)+len(x.Roles) > 0 { // between risk models
			return map[string]int{"hazards": len(x.Hazards), "controls": len(x.Controls), "roles": len(x.Roles)}
		}
		return map[string]int{"mappings": len(x.Mappings)}
	case e.RiskModel != nil:
		m := e.RiskModel
		return map[string]int{"likelihood_levels": len(m.Likelihood), "severity_levels": len(m.Severity), "bands": len(m.Bands),
			"hazards": len(m.Hazards), "controls": len(m.Controls), "roles": len(m.Roles)}
	}
	return nil
}
