package store

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Organisation is a police force, fire and rescue service, ambulance service
// or other body that assesses itself.
type Organisation struct {
	ID        int64     `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Sector    string    `json:"sector"`
	Nation    string    `json:"nation"`
	Region    string    `json:"region"`
	PeerGroup string    `json:"peer_group"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// Workforce is an organisation's headcount in one year; benchmarks use it
// for rates per 1,000 people.
type Workforce struct {
	OrganisationID int64 `gorm:"primaryKey;autoIncrement:false" json:"organisation_id"`
	Year           int   `gorm:"primaryKey;autoIncrement:false" json:"year"`
	Officers       int   `json:"officers"` // officers or operational staff
	Staff          int   `json:"staff"`
	Volunteers     int   `json:"volunteers"`
}

// TableName is fixed by the migrations.
func (Workforce) TableName() string { return "workforce" }

var reSlug = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,40}$`)

func validateOrganisation(o *Organisation) error {
	o.Name, o.Slug = strings.TrimSpace(o.Name), strings.TrimSpace(o.Slug)
	o.Region, o.PeerGroup = strings.TrimSpace(o.Region), strings.TrimSpace(o.PeerGroup)
	switch {
	case o.Name == "" || len(o.Name) > 200:
		return apperr.Errorf(apperr.EINVALID, "Enter a name of 200 characters or fewer")
	case !reSlug.MatchString(o.Slug):
		return apperr.Errorf(apperr.EINVALID, "The short name (slug) must be 2 to 41 lower-case letters, digits or hyphens, like avon-somerset")
	case !slices.Contains(Sectors, o.Sector):
		return apperr.Errorf(apperr.EINVALID, "Choose a sector: %s", strings.Join(Sectors, ", "))
	case !slices.Contains(Nations, o.Nation):
		return apperr.Errorf(apperr.EINVALID, "Choose a nation: %s", strings.Join(Nations, ", "))
	case len(o.Region) > 100 || len(o.PeerGroup) > 100:
		return apperr.Errorf(apperr.EINVALID, "Region and peer group must be 100 characters or fewer")
	}
	return nil
}

func slugTaken(err error, slug string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.Errorf(apperr.ECONFLICT, "The short name (slug) %q is already used by another organisation", slug)
	}
	return err
}

// CreateOrganisation adds an organisation. Only national admins may; the
// caller checks the role.
func (s *Store) CreateOrganisation(ctx context.Context, a Actor, o Organisation) (Organisation, error) {
	if err := validateOrganisation(&o); err != nil {
		return Organisation{}, err
	}
	o.ID = 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&o).Error; err != nil {
			return slugTaken(err, o.Slug)
		}
		return s.audit(tx, a, &o.ID, "organisation.create", "organisation", strconv.FormatInt(o.ID, 10), nil, o)
	})
	return o, err
}

// UpdateOrganisation changes an organisation's details.
func (s *Store) UpdateOrganisation(ctx context.Context, a Actor, o Organisation) (Organisation, error) {
	if err := validateOrganisation(&o); err != nil {
		return Organisation{}, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before Organisation
		if err := tx.First(&before, o.ID).Error; err != nil {
			return notFound(err, "organisation")
		}
		o.CreatedAt = before.CreatedAt
		if err := tx.Model(&before).Select("slug", "name", "sector", "nation", "region", "peer_group", "updated_at").Updates(&o).Error; err != nil {
			return slugTaken(err, o.Slug)
		}
		if err := tx.First(&o, o.ID).Error; err != nil {
			return err
		}
		return s.audit(tx, a, &o.ID, "organisation.update", "organisation", strconv.FormatInt(o.ID, 10), before, o)
	})
	return o, err
}

// Organisation returns one organisation within the scope.
func (s *Store) Organisation(ctx context.Context, sc Scope, id int64) (Organisation, error) {
	var o Organisation
	err := sc.where(s.db.WithContext(ctx), "id").First(&o, id).Error
	return o, notFound(err, "organisation")
}

// OrganisationBySlug returns one organisation within the scope.
func (s *Store) OrganisationBySlug(ctx context.Context, sc Scope, slug string) (Organisation, error) {
	var o Organisation
	err := sc.where(s.db.WithContext(ctx), "id").Where("slug = ?", slug).First(&o).Error
	return o, notFound(err, "organisation")
}

// ListOrganisations lists the organisations in scope by name.
func (s *Store) ListOrganisations(ctx context.Context, sc Scope) ([]Organisation, error) {
	var out []Organisation
	err := sc.where(s.db.WithContext(ctx), "id").Order("name").Find(&out).Error
	return out, err
}

// SetWorkforce records or corrects one year's figures.
func (s *Store) SetWorkforce(ctx context.Context, a Actor, sc Scope, w Workforce) error {
	if w.Officers < 0 || w.Staff < 0 || w.Volunteers < 0 {
		return apperr.Errorf(apperr.EINVALID, "Workforce figures cannot be negative")
	}
	if w.Year < 2000 || w.Year > 2100 {
		return apperr.Errorf(apperr.EINVALID, "Year must be between 2000 and 2100")
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var o Organisation
		if err := sc.where(tx, "id").First(&o, w.OrganisationID).Error; err != nil {
			return notFound(err, "organisation")
		}
		var before *Workforce
		var old Workforce
		err := tx.Where("organisation_id = ? AND year = ?", w.OrganisationID, w.Year).First(&old).Error
		switch {
		case err == nil:
			before = &old
			err = tx.Model(&Workforce{}).Where("organisation_id = ? AND year = ?", w.OrganisationID, w.Year).
				Updates(map[string]any{"officers": w.Officers, "staff": w.Staff, "volunteers": w.Volunteers}).Error
		case errors.Is(err, gorm.ErrRecordNotFound):
			err = tx.Create(&w).Error
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				// Someone else recorded the same year a moment ago.
				return apperr.Errorf(apperr.ECONFLICT, "Workforce figures for %d were saved by someone else at the same time; check them and try again", w.Year)
			}
		}
		if err != nil {
			return err
		}
		return s.audit(tx, a, &o.ID, "workforce.set", "workforce", strconv.FormatInt(o.ID, 10)+"/"+strconv.Itoa(w.Year), before, w)
	})
}

// Workforce lists an organisation's figures by year.
func (s *Store) Workforce(ctx context.Context, sc Scope, orgID int64) ([]Workforce, error) {
	if _, err := s.Organisation(ctx, sc, orgID); err != nil {
		return nil, err
	}
	var out []Workforce
	err := s.db.WithContext(ctx).Where("organisation_id = ?", orgID).Order("year").Find(&out).Error
	return out, err
}
