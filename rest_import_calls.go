package marketo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/mktows/marketo/internal/restwire"
)

// The REST backend's import calls: the steps of rest_import.go bound to
// REST requests.

func (b *restBackend) importToList(ctx context.Context, p *ImportToListParams) (*ImportToListResult, error) {
	return b.importHooks().importToList(ctx, p)
}

// importHooks binds an import's steps to this backend's requests.
func (b *restBackend) importHooks() *restImportHooks {
	op := opImportToList
	get, calls := b.getter(op)
	return &restImportHooks{
		listID: func(ctx context.Context, program, list string) (int, error) {
			id, err := b.lists.resolve(ctx, get, program, list)
			if err != nil {
				return 0, lookupFailed(op, *calls, err)
			}
			return id, nil
		},
		fields: func(ctx context.Context) (*restwire.LeadFieldNames, error) {
			names, err := b.fields.get(ctx, get)
			if err != nil {
				return nil, lookupFailed(op, *calls, err)
			}
			return names, nil
		},
		submit: b.submitImport,
		findLeads: func(ctx context.Context, emails []string) ([]restLead, error) {
			leads, err := findLeadsByEmail(ctx, get, emails)
			if err != nil {
				return nil, lookupFailed(op, *calls, err)
			}
			return leads, nil
		},
		addToList: b.addToList,
		jobStatus: func(ctx context.Context, id string) (ImportStatus, error) {
			st, err := b.getImportToListStatus(ctx, &GetImportToListStatusParams{ImportID: id})
			if err != nil {
				return "", err
			}
			return st.Status, nil
		},
		boundary:  b.boundary,
		limit:     MaxImportJobBytes,
		pollEvery: cmp.Or(b.splitImportPoll, DefaultRESTPollInterval), // Adobe asks for 5 to 30 s
	}
}

// submitImport sends one bulk import job. Bulk paths are not under /rest.
func (b *restBackend) submitImport(ctx context.Context, body *restwire.ImportBody) (*restImportBatch, error) {
	var batches []restImportBatch
	rq := restRequest{method: http.MethodPost, path: "/bulk/v1/leads.json", upload: body, notFound: ErrListNotFound,
		check: func() error { return checkOneBatch(batches) }}
	env, err := b.call(ctx, opImportToList, rq, &batches)
	if err != nil {
		var f *Fault
		if errors.As(err, &f) && f.Code == CodeObjectNotFound {
			b.lists.dropAll() // the list may have been deleted and created again
		}
		return nil, err
	}
	batches[0].meta = restMetadata(env)
	return &batches[0], nil
}

// checkOneBatch checks the result of a bulk import call: one batch record.
func checkOneBatch(batches []restImportBatch) error {
	if len(batches) != 1 {
		return badRESTAnswer(fmt.Sprintf("result has %d records; want 1", len(batches)))
	}
	return batches[0].check()
}

// addToList adds leads by ID to a static list (at most 300 a call).
func (b *restBackend) addToList(ctx context.Context, listID int, ids []int) ([]restListMember, ResultMetadata, error) {
	body, err := restwire.Encode(restwire.ListLeadsRequest{Input: restwire.IDs(ids)})
	if err != nil {
		return nil, ResultMetadata{}, invalid(opImportToList, err)
	}
	var members []restListMember
	rq := restRequest{method: http.MethodPost, path: "/rest/v1/lists/" + strconv.Itoa(listID) + "/leads.json", body: body, notFound: ErrListNotFound}
	env, err := b.call(ctx, opImportToList, rq, &members)
	if err != nil {
		return nil, ResultMetadata{}, err
	}
	return members, restMetadata(env), nil
}

func (b *restBackend) getImportToListStatus(ctx context.Context, p *GetImportToListStatusParams) (*ImportToListStatus, error) {
	var batches []restImportBatch
	rq := restRequest{method: http.MethodGet, path: "/bulk/v1/leads/batch/" + p.ImportID + ".json", notFound: ErrImportNotFound,
		check: func() error { return checkOneBatch(batches) }}
	env, err := b.call(ctx, opGetImportToListStatus, rq, &batches)
	if err != nil {
		return nil, err
	}
	batches[0].meta = restMetadata(env)
	return batches[0].status(), nil
}

// findLeadsByEmail returns the leads whose email is one of emails (at most
// one lookup's worth).
func findLeadsByEmail(ctx context.Context, get restGetter, emails []string) ([]restLead, error) {
	found := map[LeadKey][]int{}
	if err := lookupLeads(ctx, get, LeadKeyEmail, emails, found); err != nil {
		return nil, err
	}
	var leads []restLead
	for _, e := range emails {
		for _, id := range found[LeadKey{Type: LeadKeyEmail, Value: e}] {
			leads = append(leads, restLead{ID: id, Email: e})
		}
	}
	return leads, nil
}
