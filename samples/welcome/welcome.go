package main
import "fmt"
func main() {
    fmt.Println("Welcome to multi-stage Docker builds")
}
