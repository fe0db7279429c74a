package routes_test

// A feature adds its own section, with its own form, to the vehicle detail
// page from its own controller, as a student's enhancement does: no edit
// to controllers/inventory.go, controllers/review.go or
// views/inventory/detail.html, and the reviews keep working beside it.

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/controllers"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/views"
)

// questions is "ask about this vehicle", a test-only feature built from the
// controllers' exported parts only: a section of the detail page and a
// POST that adds a question.
type questions struct {
	base   *controllers.Base
	detail *controllers.Detail
	db     *sql.DB
}

// questionsSection is the data of the questions-section partial.
type questionsSection struct {
	VehicleID int
	Questions []string
	Form      questionForm
}

type questionForm struct {
	Text   string
	Errors []string
}

// questionsPartial draws the section: the questions, then the form for a
// logged-in visitor, with the page's CSRF token.
const questionsPartial = `{{define "questions-section" -}}
    <section class="questions" id="questions" aria-labelledby="questions-heading">
      <h2 id="questions-heading">Questions about this vehicle</h2>
      <ul>{{range .Data.Questions}}<li class="question">{{.}}</li>{{end}}</ul>
{{- if .Page.Account}}
{{template "form-errors" .Data.Form.Errors}}
      <form class="form" method="post" action="/question/add">
        <input type="hidden" name="csrf_token" value="{{.Page.CSRF}}">
        <input type="hidden" name="inv_id" value="{{.Data.VehicleID}}">
        <label for="question_text">Your question</label>
        <textarea id="question_text" name="question_text">{{.Data.Form.Text}}</textarea>
        <button type="submit">Ask</button>
      </form>
{{- else}}
      <p><a href="/account/login">Log in</a> to ask a question.</p>
{{- end}}
    </section>
{{- end}}
`

func (q *questions) DetailSection(c *gin.Context, v models.Vehicle) (views.Section, error) {
	return q.section(c.Request.Context(), v, questionForm{})
}

func (q *questions) section(ctx context.Context, v models.Vehicle, form questionForm) (views.Section, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT question_text FROM question WHERE inv_id = $1 ORDER BY question_id`, v.ID)
	if err != nil {
		return views.Section{}, err
	}
	defer rows.Close()
	data := questionsSection{VehicleID: v.ID, Form: form}
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return views.Section{}, err
		}
		data.Questions = append(data.Questions, text)
	}
	return views.Section{Template: "questions-section", Data: data}, rows.Err()
}

// Ask reads, validates, saves, answers.
func (q *questions) Ask(c *gin.Context) {
	id, _ := strconv.Atoi(c.PostForm("inv_id"))
	v, ok := q.detail.Vehicle(c, id)
	if !ok {
		return
	}
	form := questionForm{Text: strings.TrimSpace(c.PostForm("question_text"))}
	if n := utf8.RuneCountInString(form.Text); n < 5 || n > 500 {
		form.Errors = []string{"Please ask your question (5 to 500 characters)."}
		session.Flash(c, "error", "Sorry, your question could not be sent.")
		section, err := q.section(c.Request.Context(), v, form)
		if err != nil {
			c.Error(err)
			return
		}
		q.detail.Resend(c, http.StatusUnprocessableEntity, v, q, section)
		return
	}
	if _, err := q.db.ExecContext(c.Request.Context(), `INSERT INTO question (inv_id, question_text) VALUES ($1, $2)`, v.ID, form.Text); err != nil {
		c.Error(err)
		return
	}
	q.base.PagesChanged() // the detail page's cached copies show the question at once
	session.Flash(c, "success", "Thank you: your question was sent.")
	q.base.Redirect(c, "/inv/detail/"+strconv.Itoa(v.ID)+"#questions")
}

func TestFeatureAddsASectionWithItsFormToTheDetailPage(t *testing.T) {
	a := newAppWithViews(t, "development",
		overlayFS{views.Files, fstest.MapFS{"partials/questions-section.html": {Data: []byte(questionsPartial)}}})
	if _, err := a.db.Exec(`CREATE TABLE question (question_id serial PRIMARY KEY,
		inv_id integer NOT NULL REFERENCES inventory ON DELETE CASCADE, question_text text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	// The wiring a student writes in routes.New.
	feature := &questions{base: a.site.Base, detail: a.site.Detail, db: a.db}
	a.site.Detail.Add(feature)
	a.site.Pages.POST("/question/add", a.site.LoggedIn, feature.Ask)

	page := a.browser().get("/inv/detail/1").Body.String()
	vehicle, reviews, asks := strings.Index(page, `class="vehicle-detail"`), strings.Index(page, "Customer Reviews"), strings.Index(page, "Questions about this vehicle")
	if vehicle < 0 || reviews < vehicle || asks < reviews || !strings.Contains(page, "to ask a question.") {
		t.Fatalf("a visitor's detail page lacks the vehicle, then the reviews, then the questions:\n%s", page)
	}

	b := a.staffBrowser("Client")
	page = b.get("/inv/detail/1").Body.String()
	if !strings.Contains(page, `action="/question/add"`) || !strings.Contains(page, `action="/review/add"`) {
		t.Fatalf("a logged-in visitor's page lacks one of the two forms:\n%s", page)
	}
	rec := b.post("/question/add", url.Values{"inv_id": {"1"}, "question_text": {"Hm?"}})
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "<li>Please ask your question (5 to 500 characters).</li>") ||
		!strings.Contains(body, ">Hm?</textarea>") || !strings.Contains(messages(body), "Sorry, your question could not be sent.") {
		t.Errorf("a short question = %d; want 422 with its error, its text kept and the banner:\n%s", rec.Code, body)
	}
	if !strings.Contains(body, "Customer Reviews") || !strings.Contains(body, `action="/review/add"`) || strings.Contains(body, "Please write your review") {
		t.Error("the page sent back with the question's error lost the reviews section, or showed it with errors")
	}

	rec = b.post("/question/add", url.Values{"inv_id": {"1"}, "question_text": {"Does it have <b>air</b> conditioning?"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inv/detail/1#questions" {
		t.Fatalf("a good question = %d to %q; want 303 to the vehicle", rec.Code, rec.Header().Get("Location"))
	}
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "Thank you: your question was sent.") {
		t.Errorf("banner after the question = %q", got)
	}
	const shown = `<li class="question">Does it have &lt;b&gt;air&lt;/b&gt; conditioning?</li>`
	if page := a.browser().get("/inv/detail/1").Body.String(); !strings.Contains(page, shown) {
		t.Errorf("a visitor does not see the question, escaped:\n%s", page)
	}

	// The reviews' own refused form comes back beside the questions.
	body = b.review("1", "9", "Fine car").Body.String()
	if !strings.Contains(body, "<li>Please choose a rating from 1 to 5 stars.</li>") || !strings.Contains(body, shown) {
		t.Errorf("a refused review lost the questions section:\n%s", body)
	}
	// The feature's route has the site's guards: login and the form token.
	if rec := a.browser().post("/question/add", url.Values{"inv_id": {"1"}, "question_text": {"Anyone there?"}}); rec.Code != http.StatusSeeOther ||
		!strings.HasPrefix(rec.Header().Get("Location"), "/account/login") {
		t.Errorf("a question without logging in = %d to %q; want the login page", rec.Code, rec.Header().Get("Location"))
	}
	if rec := b.postWithoutToken("/question/add", url.Values{"inv_id": {"1"}, "question_text": {"Forged question"}}); rec.Code != http.StatusForbidden {
		t.Errorf("a question without the form token = %d; want 403", rec.Code)
	}
	if n := a.count(`SELECT count(*) FROM question`); n != 1 {
		t.Errorf("%d questions stored; want the one good one", n)
	}
}
