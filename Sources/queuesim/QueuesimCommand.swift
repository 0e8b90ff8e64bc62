@main struct Q { static func main() {} }
