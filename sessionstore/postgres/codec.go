package postgres

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// The stored row is one JSON object: the app's values by key, and the
// store's meta under "cookie". Values are encoded one by one, so Save can
// tell which keys changed.

// encodeValues encodes each app value on its own. Keys must be strings:
// the row is a JSON object. HTML characters are not escaped, so an
// unchanged value encodes to the bytes PostgreSQL returned for it.
//
// A string or number still equal to the one loaded (in ss.scalars) is not
// encoded again: its loaded bytes (ss.orig) stand for it. Those values
// cannot change in place, so equal means unchanged, and most of a
// session's values are such (the account's id, name and type).
func encodeValues(values map[any]any, ss *state) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(values))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for k, v := range values {
		if _, ok := k.(stateKey); ok {
			continue
		}
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("postgres: session keys must be strings, got %T", k)
		}
		if key == metaKey {
			return nil, fmt.Errorf("postgres: session key %q is reserved by the store", metaKey)
		}
		if loaded, ok := ss.scalars[key]; ok && loaded == v { // only strings and numbers are kept there
			out[key] = ss.orig[key]
			continue
		}
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("postgres: session value %q: %w", key, err)
		}
		out[key] = bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
	}
	return out, nil
}

func equalValues(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}

// changedOnly keeps the values of cur that differ from orig.
func changedOnly(cur, orig map[string]json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range cur {
		if o, ok := orig[k]; !ok || !bytes.Equal(o, v) {
			out[k] = v
		}
	}
	return out
}

// encodeRow builds the stored JSON: the app's values plus the store's meta.
func encodeRow(values map[string]json.RawMessage, m meta) ([]byte, error) {
	mb, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	row := make(map[string]json.RawMessage, len(values)+1)
	for k, v := range values {
		row[k] = v
	}
	row[metaKey] = mb
	return json.Marshal(row)
}

// splitRow separates a stored row into the app's values and the meta.
func splitRow(raw []byte) (map[string]json.RawMessage, meta, error) {
	var row map[string]json.RawMessage
	var m meta
	if err := json.Unmarshal(raw, &row); err != nil {
		return nil, m, err
	}
	if mb, ok := row[metaKey]; ok {
		if err := json.Unmarshal(mb, &m); err != nil {
			return nil, m, err
		}
		delete(row, metaKey)
	}
	return row, m, nil
}

// decodeValue turns one stored value back into what the app set: a string,
// a json.Number (so integers such as account IDs survive exactly; GetInt
// reads it), or what encoding/json makes of anything else. Strings and
// numbers, nearly every value, are read without a full JSON decoder: this
// runs on every request with a session.
func decodeValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, errors.New("postgres: empty session value")
	}
	if v, ok := decodeScalar(raw); ok {
		return v, nil
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	err := d.Decode(&v)
	return v, err
}

// decodeScalar decodes raw when it is a string or a number (a json.Number),
// the immutable values requests share (see decoded); ok is false for
// anything else, an invalid string included.
func decodeScalar(raw json.RawMessage) (v any, ok bool) {
	if len(raw) == 0 {
		return nil, false
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, false
		}
		return s, true
	case c == '-' || c >= '0' && c <= '9':
		return json.Number(raw), true
	}
	return nil, false
}
