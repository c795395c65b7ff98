from tweetdesk.cli import main

main()
