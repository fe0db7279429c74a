package postgres

import (
	"context"
	"errors"
	"slices"

	ginsessions "github.com/gin-contrib/sessions"
	"github.com/lib/pq"
)

// Flash is one flash message: the counterpart of a connect-flash entry.
type Flash struct {
	// ID is the message's place in the flash table: messages are shown in
	// the order of their IDs. It is 0 for a message queued by this request
	// and not stored yet.
	ID int64
	// Type names the kind of message (notice, error, ...); the app uses
	// it as a CSS class, so it must check it before it reaches HTML.
	Type string
	Text string
}

// DefaultFlashType is the type of a message queued without one, as
// gin-contrib's session.AddFlash(message) does.
const DefaultFlashType = "notice"

// AddFlash queues a message of type typ for the visitor. It is stored when
// the session is saved, as one row of the flash table, and stays there
// until a page shows it, so it survives a redirect.
func AddFlash(s ginsessions.Session, typ, text string) {
	if gs := underlying(s); gs != nil {
		ss := stateOf(gs)
		ss.flashes = append(ss.flashes, Flash{Type: typ, Text: text})
	}
}

// TakeFlashes returns the waiting messages, in the order they were queued,
// for a page to show. They leave the flash table for good once the
// response goes out as a page (a 2xx or 4xx answer to GET with a body);
// if it goes out as anything else (a redirect, a HEAD, an error page that
// does not show them, a failed save), they are put back, in their order.
//
// The messages a page can take are those its session's load took from the
// flash table in the same statement that read the session (GET requests
// served through Sessions), plus those this request queued.
func TakeFlashes(s ginsessions.Session) []Flash {
	gs := underlying(s)
	if gs == nil {
		return nil
	}
	ss := stateOf(gs)
	out := ss.flashes
	ss.shown, ss.flashes = append(ss.shown, out...), nil
	return out
}

// PeekFlashes returns the waiting messages without taking them.
func PeekFlashes(s ginsessions.Session) []Flash {
	if gs := underlying(s); gs != nil {
		return slices.Clone(stateOf(gs).flashes)
	}
	return nil
}

// insertFlashes stores messages under a session: new ones (ID 0) get the
// next IDs; the ones put back keep theirs (so their order) and wait again:
// their row is still there, marked taken, unless another page of the
// session deleted it meanwhile (then it is inserted again).
const (
	insertFlashesStart = `INSERT INTO flash (sid, id, type, message)
	SELECT $1, coalesce(nullif(f.id, 0), nextval('flash_id_seq')), f.type, f.message
	FROM unnest($2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS f(id, type, message, n)`
	insertFlashesEnd = `
	ORDER BY f.n
	ON CONFLICT (sid, id) DO UPDATE SET taken_by = NULL`
	insertFlashes      = insertFlashesStart + insertFlashesEnd
	insertFlashesAsync = insertFlashesStart + `,` + asyncSetting + insertFlashesEnd
)

// writeFlashes stores msgs under session sid in one statement. A session
// that ended meanwhile (a logout in another tab) takes no message: the
// foreign key refuses them, and they are dropped with it.
func (st *Store) writeFlashes(ctx context.Context, r run, sid string, msgs []Flash) error {
	if len(msgs) == 0 {
		return nil
	}
	query := insertFlashes
	if st.AsyncCommit && r.tx == nil { // in a transaction, the session's own write decides
		query = insertFlashesAsync
	}
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	_, err := r.exec(ctx, query, append([]any{sid}, flashArgs(msgs)...)...)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23503" { // foreign_key_violation
		st.logger().Info("session ended by another request; its new flash messages dropped", "sid_hash", IDHash(sid))
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	return nil
}

// flashArgs are the arrays insertFlashes reads: IDs, types, texts.
func flashArgs(msgs []Flash) []any {
	ids, types, texts := make([]int64, len(msgs)), make([]string, len(msgs)), make([]string, len(msgs))
	for i, m := range msgs {
		ids[i], types[i], texts[i] = m.ID, m.Type, m.Text
	}
	return []any{pq.Array(ids), pq.Array(types), pq.Array(texts)}
}

// taken returns the messages of msgs that came from the flash table (the
// ones a failed save must still put back).
func taken(msgs []Flash) []Flash {
	var out []Flash
	for _, m := range msgs {
		if m.ID != 0 {
			out = append(out, m)
		}
	}
	return out
}
