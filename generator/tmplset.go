package generator

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"text/template/parse"
)

// templateSet is every template, parsed once per process, and the output
// of the static ones: a template without actions renders its own source,
// which TestStaticTemplatesFormatted checks is gofmt-formatted Go, so it
// needs neither executing nor formatting at run time.
type templateSet struct {
	tmpl   *template.Template
	static map[string][]byte
}

var loadTemplates = sync.OnceValues(func() (*templateSet, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	set := &templateSet{tmpl: t, static: map[string][]byte{}}
	for _, tt := range t.Templates() {
		if src, ok := staticText(tt); ok {
			set.static[tt.Name()] = src
		}
	}
	return set, nil
})

// staticText returns the text of a template made only of text, and
// reports whether it is one.
func staticText(t *template.Template) ([]byte, bool) {
	if t.Tree == nil || t.Tree.Root == nil {
		return nil, false
	}
	var buf bytes.Buffer
	for _, n := range t.Tree.Root.Nodes {
		text, ok := n.(*parse.TextNode)
		if !ok {
			return nil, false
		}
		buf.Write(text.Text)
	}
	return buf.Bytes(), true
}

// render renders one file. Static templates are copied. Templated Go
// output is parsed, and refused with a listing when it does not parse,
// but not reprinted: go/printer costs several times the parse, most of
// it on the per-route tables, so the templates are written to render
// gofmt-clean code for any valid spec (no column alignment that depends
// on spec values), and TestGeneratedGoIsFormatted checks it on every
// golden case and on generated specs. No module cache is ever searched.
func (s *templateSet) render(name, out string, data any) ([]byte, error) {
	if src, ok := s.static[name]; ok {
		return bytes.Clone(src), nil
	}
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", out, err)
	}
	if !strings.HasSuffix(out, ".go") {
		return buf.Bytes(), nil
	}
	fset := token.NewFileSet()
	if _, err := parser.ParseFile(fset, out, buf.Bytes(), parser.SkipObjectResolution); err != nil {
		return nil, fmt.Errorf("rendering %s: generated code does not parse: %w\n%s", out, err, numbered(buf.Bytes()))
	}
	return buf.Bytes(), nil
}

// renderJob is one file to render: the template, the file without its
// data, the template's data, and the package name to give a generated
// file ("" to leave it).
type renderJob struct {
	name string
	file File
	data any
	pkg  string
}

// renderAll renders the jobs on every CPU, each file independent of the
// others, and returns the files in job order; the error is the first in
// job order, so a failing spec always reports the same one.
func (s *templateSet) renderAll(jobs []renderJob) ([]File, error) {
	files := make([]File, len(jobs))
	errs := make([]error, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(jobs); i = int(next.Add(1) - 1) {
				j := &jobs[i]
				files[i] = j.file
				files[i].Data, errs[i] = s.render(j.name, j.file.Path, j.data)
				if errs[i] == nil && j.pkg != "" {
					renamePackage(&files[i], j.pkg)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}
