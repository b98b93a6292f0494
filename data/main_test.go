package data

import (
	"os"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestMain(m *testing.M) {
	bcryptCost = bcrypt.MinCost // hashing at full cost would make the tests slow
	os.Exit(runEngines(m))      // SQLite, then PostgreSQL: engines_test.go
}
