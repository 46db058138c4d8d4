// Package actionstatus holds the one list of statuses an improvement
// action may have, shared by the store and web forms (server/store) and by
// every workbook that shows or offers them, so no two places disagree.
package actionstatus

// Statuses are the statuses an action may have, in the order an action
// moves through them; the first is a new action's.
var Statuses = []string{"planned", "in progress", "done"}

// NoActions is what a standard with no actions shows where an action's
// status would be: it is not a status an action can have.
const NoActions = "no actions yet"
