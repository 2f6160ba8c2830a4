package marketotest

import (
	"fmt"
	"maps"
	"slices"
)

// Folders outside any program: real tenants keep most campaigns and static
// lists in them. A folder is a program struct with folder set, so runs,
// tokens and lists work the same; only name lookups tell the two apart.

// Folder is a snapshot of a folder outside any program with its My Tokens,
// campaigns and lists.
type Folder struct {
	ID        int // assigned in creation order from 101; the asset API's folder id
	Name      string
	Tokens    map[string]string
	Campaigns []Campaign
	Lists     []List
}

// programName is REST's programName of the program's assets: "" in a
// folder.
func (p *program) programName() string {
	if p.folder {
		return ""
	}
	return p.name
}

func (t *tenant) folder(name string) *program {
	for _, f := range t.folders {
		if f.name == name {
			return f
		}
	}
	return nil
}

// containers returns the programs, then the folders: everything that holds
// campaigns and lists.
func (t *tenant) containers() []*program {
	return append(slices.Clone(t.programs), t.folders...)
}

// container finds the program or the folder named, exactly one of them
// non-empty.
func (t *tenant) container(programName, folderName string) (*program, error) {
	switch {
	case programName != "" && folderName != "":
		return nil, fmt.Errorf("marketotest: give a program or a folder, not both (%q, %q)", programName, folderName)
	case folderName != "":
		if f := t.folder(folderName); f != nil {
			return f, nil
		}
		return nil, fmt.Errorf("marketotest: folder %q does not exist", folderName)
	}
	if p := t.program(programName); p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("marketotest: program %q does not exist", programName)
}

// where names a container in errors: `program "X"` or `folder "Y"`.
func (p *program) where() string {
	if p.folder {
		return fmt.Sprintf("folder %q", p.name)
	}
	return fmt.Sprintf("program %q", p.name)
}

// addFolder adds a folder outside any program. A folder and a program may
// share a name, as in Marketo's tree.
func (t *tenant) addFolder(name string, tokens map[string]string) error {
	if t.folder(name) != nil {
		return fmt.Errorf("marketotest: folder %q already exists", name)
	}
	f, err := newContainer("folder", name, tokens)
	if err != nil {
		return err
	}
	f.id, f.folder = t.nextFolder, true
	t.nextFolder++
	t.folders = append(t.folders, f)
	return nil
}

func (p *program) folderSnapshot() Folder {
	out := Folder{ID: p.id, Name: p.name, Tokens: maps.Clone(p.tokens)}
	out.Campaigns, out.Lists = p.assets()
	return out
}
