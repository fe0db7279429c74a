package postgres

import (
	"bytes"
	"encoding/json"
	"slices"
)

// merge applies one request's changes (from orig, what it read, to cur,
// what it wants to write) onto fresh, the row as another request left it.
// A key this request did not touch keeps the other request's value; a key
// it set or deleted takes this request's decision. Flash messages are
// merged message by message, so neither request's messages are lost and
// none shown by this request comes back.
func merge(fresh, orig, cur map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(fresh)+len(cur))
	for k, v := range fresh {
		out[k] = v
	}
	for k := range orig {
		if _, kept := cur[k]; !kept && k != FlashKey {
			delete(out, k)
		}
	}
	for k, c := range cur {
		if k == FlashKey {
			continue
		}
		if o, ok := orig[k]; !ok || !bytes.Equal(o, c) {
			out[k] = c
		}
	}
	if flash := mergeFlash(fresh[FlashKey], orig[FlashKey], cur[FlashKey]); flash != nil {
		out[FlashKey] = flash
	} else {
		delete(out, FlashKey)
	}
	return out
}

// mergeFlash treats each flash type as a queue: this request consumed some
// messages from the front of what it read and appended others. Those it
// consumed are removed from the fresh queue, those it appended are added.
// A value that is not in the flash shape is left to last-writer-wins.
func mergeFlash(fresh, orig, cur json.RawMessage) json.RawMessage {
	var f, o, c map[string][]string
	if !decodeFlash(fresh, &f) || !decodeFlash(orig, &o) || !decodeFlash(cur, &c) {
		if cur != nil {
			return cur
		}
		return fresh
	}
	if f == nil {
		f = map[string][]string{}
	}
	types := make(map[string]bool)
	for t := range o {
		types[t] = true
	}
	for t := range c {
		types[t] = true
	}
	for t := range types {
		consumed, appended := queueDiff(o[t], c[t])
		list := f[t]
		for _, m := range consumed {
			if i := slices.Index(list, m); i >= 0 {
				list = slices.Delete(slices.Clone(list), i, i+1)
			}
		}
		list = append(list, appended...)
		if len(list) == 0 {
			delete(f, t)
		} else {
			f[t] = list
		}
	}
	if len(f) == 0 {
		return nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return cur
	}
	return b
}

// queueDiff finds the longest suffix of orig that cur starts with: what
// came before it was consumed, what follows it in cur was appended.
func queueDiff(orig, cur []string) (consumed, appended []string) {
	for n := 0; n <= len(orig); n++ {
		rest := orig[n:]
		if len(rest) <= len(cur) && slices.Equal(rest, cur[:len(rest)]) {
			return orig[:n], cur[len(rest):]
		}
	}
	return orig, cur
}

func decodeFlash(b json.RawMessage, into *map[string][]string) bool {
	if b == nil {
		return true
	}
	return json.Unmarshal(b, into) == nil
}
